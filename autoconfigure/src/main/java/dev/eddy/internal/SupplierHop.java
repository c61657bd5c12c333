package dev.eddy.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoopClosedException;
import dev.eddy.loop.EventLoopFullException;
import org.jspecify.annotations.Nullable;

/**
 * The road from another thread onto a loop and back, for a supplier of a loop future:
 * {@code submit} (the outcome comes back as a {@code CompletableFuture}) and {@code runSync}
 * called off the loop (the caller blocks, bounded, for the outcome). The supplier runs on the
 * loop; if the loop ends before it ran, the caller is told, never left waiting.
 * <p>Thread-safe (stateless); called on any thread but the loop's.
 */
final class SupplierHop {

	private SupplierHop() {
	}

	/**
	 * {@code EventLoop.submit}.
	 * @param <T> the result type
	 * @param loop the loop
	 * @param supplier makes the future on the loop
	 * @return the future's outcome, as a tracked {@code CompletableFuture}
	 */
	static <T extends @Nullable Object> CompletableFuture<T> submit(DefaultEventLoop loop,
			Supplier<? extends LoopFuture<T>> supplier) {
		EddyCompletableFuture<T> result = EddyCompletableFuture.tracked(loop.completableOrigin);
		Runnable task = () -> {
			LoopFuture<T> future;
			try {
				future = requireFuture(loop, supplier.get());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
				return;
			}
			DefaultFutures.copyWhenDone(future, result);
		};
		try {
			loop.enqueue(Rejectable.orElse(loop.decorate(task), () -> result.completeExceptionally(
					new EventLoopClosedException("EventLoop '" + loop.name + "' terminated before it ran the supplier "
							+ Describe.value(supplier)))), supplier);
		}
		catch (EventLoopFullException ex) {
			result.completeExceptionally(ex); // a future-returning entry point reports a full loop through its future
		}
		return result;
	}

	/**
	 * {@code EventLoop.runSync} from a thread that is no loop's: blocks until the future is done
	 * or the timeout passed (then the future is cancelled).
	 * @param <T> the result type
	 * @param loop the loop
	 * @param supplier makes the future on the loop
	 * @param timeout positive
	 * @return the future's result
	 * @throws TimeoutException when the timeout passed
	 * @throws InterruptedException when the caller is interrupted (the future is cancelled)
	 */
	static <T extends @Nullable Object> T runSync(DefaultEventLoop loop, Supplier<? extends LoopFuture<T>> supplier,
			Duration timeout) throws TimeoutException, InterruptedException {
		long timeoutNanos = DefaultEventLoop.saturatedNanos(timeout); // 300 years waits about 73: no overflow after the work ran
		CompletableFuture<ResultOrThrown<T>> outcome = new CompletableFuture<>();
		AtomicReference<@Nullable LoopFuture<T>> started = new AtomicReference<>();
		Runnable task = () -> {
			try {
				LoopFuture<T> future = requireFuture(loop, supplier.get());
				started.set(future);
				future.addDoneCallback((done) -> outcome.complete(ResultOrThrown.of(done)));
			}
			catch (Throwable ex) {
				outcome.complete(new ResultOrThrown<>(null, ex));
			}
		};
		loop.enqueue(Rejectable.orElse(loop.decorate(task), () -> outcome.complete(new ResultOrThrown<>(null,
				new EventLoopClosedException("EventLoop '" + loop.name + "' terminated before it ran the supplier of runSync "
						+ Describe.value(supplier))))), supplier);
		try {
			return outcome.get(timeoutNanos, TimeUnit.NANOSECONDS).get();
		}
		catch (InterruptedException ex) {
			cancelStarted(loop, started, "runSync on EventLoop '" + loop.name + "' was interrupted");
			throw ex;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("unreachable: runSync outcomes complete normally", ex);
		}
		catch (TimeoutException ex) {
			String message = "runSync on EventLoop '" + loop.name + "' timed out after " + timeout;
			cancelStarted(loop, started, message);
			throw new TimeoutException(message + "; the future was cancelled");
		}
	}

	private static <T extends @Nullable Object> void cancelStarted(DefaultEventLoop loop,
			AtomicReference<@Nullable LoopFuture<T>> started, String message) {
		loop.tryDeliver(() -> {
			LoopFuture<T> future = started.get();
			if (future != null) {
				future.cancel(message);
			}
		});
	}

	/**
	 * @param <T> the result type
	 * @param loop the loop the supplier ran for
	 * @param future what the supplier returned
	 * @return it, if it is not null
	 * @throws NullPointerException naming the loop, if it is
	 */
	static <T extends @Nullable Object> LoopFuture<T> requireFuture(DefaultEventLoop loop, @Nullable LoopFuture<T> future) {
		if (future == null) {
			throw new NullPointerException("The supplier returned null instead of a future of EventLoop '" + loop.name
					+ "'; return loop.newFuture() or LoopFuture.completed(value)");
		}
		return future;
	}

	/** What {@code result()} returned or threw, carried across threads without re-wrapping. */
	private record ResultOrThrown<T extends @Nullable Object>(@Nullable T value, @Nullable Throwable thrown) {

		static <T extends @Nullable Object> ResultOrThrown<T> of(LoopFuture<T> done) {
			try {
				return new ResultOrThrown<>(done.result(), null);
			}
			catch (Throwable ex) {
				return new ResultOrThrown<>(null, ex);
			}
		}

		@SuppressWarnings("NullAway") // a succeeded outcome's value is the future's T, nullable or not
		T get() {
			Throwable failure = this.thrown;
			if (failure == null) {
				return this.value;
			}
			if (failure instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (failure instanceof Error error) {
				throw error;
			}
			throw new CompletionException(failure); // a supplier cannot throw checked; kept for safety
		}

	}

}
