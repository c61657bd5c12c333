package dev.eddy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The futures of one loop that wait for another thread's outcome (a pool's task, a
 * {@code CompletionStage}, a {@code fromCallback} callback, a copy from another loop): the one
 * place that creates and registers them, completes them on the loop one iteration after the
 * outcome arrived (ROE-5), and at close cancels those still waiting, so that none stays pending
 * after its loop terminated.
 * <p>Thread-safe: {@link #create}, {@link #register} and {@link #complete} from any thread; the
 * completion itself runs on the loop thread, as do {@link #cancelAll} and {@link #abandonAll}.
 */
final class HandOffs {

	private final DefaultEventLoop loop;

	/** Futures waiting for another thread's outcome (close cancels them). */
	private final Set<DefaultLoopFuture<?>> pending = ConcurrentHashMap.newKeySet();

	/**
	 * The {@link #pending} futures that close does not wait for, by what they wait for: a
	 * {@code fromCallback} callback may never be called, so the drain would only wait out its
	 * timeout. They are cancelled when the close begins, with a message naming them.
	 */
	private final ConcurrentHashMap<DefaultLoopFuture<?>, String> notAwaited = new ConcurrentHashMap<>();

	HandOffs(DefaultEventLoop loop) {
		this.loop = loop;
	}

	/**
	 * @param <T> the result type
	 * @return a new future of the loop, registered to wait for another thread's outcome
	 */
	<T extends @Nullable Object> DefaultLoopFuture<T> create() {
		return create(null);
	}

	/**
	 * @param <T> the result type
	 * @param source what an unobserved-failure report names as the future's source (for example
	 * the {@code Class#method} that returned it), or null for the loop's name
	 * @return a new future of the loop, registered to wait for another thread's outcome
	 */
	<T extends @Nullable Object> DefaultLoopFuture<T> create(@Nullable String source) {
		DefaultLoopFuture<T> future = new DefaultLoopFuture<>(this.loop, this.loop.detector.creationSite(), source);
		future.awaitsHandOff = true;
		this.pending.add(future);
		return future;
	}

	/**
	 * @param <T> the result type
	 * @param waitingFor what the future waits for, as the cancellation message at close names it
	 * (for example "its fromCallback callback")
	 * @return a new future of the loop, registered to wait for another thread's outcome, that a
	 * close does not wait for but cancels as it begins
	 */
	<T extends @Nullable Object> DefaultLoopFuture<T> createNotAwaited(String waitingFor) {
		DefaultLoopFuture<T> future = create();
		this.notAwaited.put(future, waitingFor);
		return future;
	}

	/**
	 * Registers an existing future of the loop (a {@code chain} target) that another thread will
	 * complete through {@link #complete}; close cancels it if that never happens.
	 * @param future the future
	 */
	void register(DefaultLoopFuture<?> future) {
		future.awaitsHandOff = true;
		this.pending.add(future);
	}

	/**
	 * A registered future is done (completed on the loop directly, or cancelled): it waits for
	 * nothing any more.
	 * @param future the future
	 */
	void done(DefaultLoopFuture<?> future) {
		// The flag, not pending.isEmpty(): a ConcurrentHashMap's isEmpty() sums its counter cells,
		// which every completion of every future paid (about a tenth of a complete-and-callback
		// operation, JFR).
		if (future.awaitsHandOff) {
			this.pending.remove(future);
			forgetNotAwaited(future);
		}
	}

	private void forgetNotAwaited(DefaultLoopFuture<?> future) {
		if (!this.notAwaited.isEmpty()) {
			this.notAwaited.remove(future);
		}
	}

	/**
	 * The hop of {@code runInExecutor}: runs the task on the pool and completes {@code future}
	 * with its outcome from there, in one object (the task, its delivery and its abandon callback).
	 * @param <T> the result type
	 * @param future a registered future
	 * @param task the user's task, which the hop's {@code toString()} names
	 * @return the hop to send
	 */
	<T extends @Nullable Object> ExecutorHop.Hop<T> hopTo(DefaultLoopFuture<T> future, Callable<? extends T> task) {
		return new CallableHop<>(future, task);
	}

	/** See {@link #hopTo}. */
	private final class CallableHop<T extends @Nullable Object> extends ExecutorHop.Hop<T> {

		private final DefaultLoopFuture<T> future;

		private final Callable<? extends T> task;

		CallableHop(DefaultLoopFuture<T> future, Callable<? extends T> task) {
			this.future = future;
			this.task = task;
		}

		@Override
		@Nullable T call() throws Exception {
			return this.task.call();
		}

		@Override
		public void succeeded(@Nullable T value) {
			complete(this.future, value, null);
		}

		@Override
		public void failed(Throwable failure) {
			complete(this.future, null, failure);
		}

		@Override
		public String toString() {
			return Describe.value(this.task);
		}

	}

	/**
	 * Completes a future of this loop from any thread, always in a later loop iteration
	 * (ROE-5). If the future is done by then (cancelled), the outcome is dropped, as
	 * {@code chain_future} does (CH-5).
	 * @param <T> the result type
	 * @param future the future
	 * @param value the result, if {@code failure} is null
	 * @param failure the failure, or null
	 */
	<T extends @Nullable Object> void complete(DefaultLoopFuture<T> future, @Nullable T value,
			@Nullable Throwable failure) {
		complete(future, value, failure, null);
	}

	/**
	 * As {@link #complete(DefaultLoopFuture, Object, Throwable)}, for an outcome copied from
	 * {@code source}: the source's failure counts as observed only if it is copied (CH-8).
	 * @param <T> the result type
	 * @param future the future
	 * @param value the result, if {@code failure} is null
	 * @param failure the failure, or null
	 * @param source where the outcome comes from (a {@code CompletionStage} or a
	 * {@link CompletedLoopFuture}), observed only once copied, or null
	 */
	<T extends @Nullable Object> void complete(DefaultLoopFuture<T> future, @Nullable T value,
			@Nullable Throwable failure, @Nullable Object source) {
		if (this.loop.refusesCallbacks() && !this.pending.contains(future)) {
			// The close (or the user) already cancelled this future: the late outcome is dropped, as chain_future does (ROE-9).
			DefaultEventLoop.logger.debug("EventLoop '{}' is closed; dropped the late outcome of {}", this.loop.name, future,
					failure);
			return;
		}
		this.loop.tryDeliver(new Completion<>(future, value, failure, source));
	}

	/** @return whether no future waits; forgets those done meanwhile first. Loop thread only. */
	boolean settle() {
		// A future completed or cancelled by someone else waits for nothing any more.
		this.pending.removeIf(DefaultLoopFuture::done);
		this.notAwaited.keySet().removeIf(DefaultLoopFuture::done);
		return this.pending.isEmpty();
	}

	/**
	 * Cancels, as a close begins, the futures it does not wait for, so that their callbacks run
	 * during the drain. Loop thread only.
	 * @param loopEnded how the loop ended, for the message ("EventLoop 'main' closed")
	 * @return how many were cancelled
	 */
	int cancelNotAwaited(String loopEnded) {
		int cancelled = 0;
		for (var entry : new ArrayList<>(this.notAwaited.entrySet())) {
			DefaultLoopFuture<?> future = entry.getKey();
			this.notAwaited.remove(future);
			this.pending.remove(future);
			if (future.cancel(loopEnded + " while this future was still waiting for " + entry.getValue()
					+ "; a close does not wait for a callback that may never be called: call it before close(), or give "
					+ "fromCallback a timeout")) {
				cancelled++;
			}
		}
		return cancelled;
	}

	/**
	 * Cancels every future still waiting, at close, so that their callbacks run. Loop thread only.
	 * @param message the cancellation message
	 * @return how many were cancelled
	 */
	int cancelAll(String message) {
		List<DefaultLoopFuture<?>> abandoned = new ArrayList<>(this.pending);
		this.pending.clear();
		this.notAwaited.clear();
		int cancelled = 0;
		for (DefaultLoopFuture<?> future : abandoned) {
			if (future.cancel(message)) {
				cancelled++;
			}
		}
		return cancelled;
	}

	/**
	 * Cancels every future still waiting without scheduling their callbacks, when the loop
	 * cannot run any more.
	 * @param message the cancellation message
	 * @return how many callbacks were lost with them
	 */
	int abandonAll(String message) {
		int lost = 0;
		for (DefaultLoopFuture<?> future : new ArrayList<>(this.pending)) {
			lost += future.abandon(message);
		}
		this.pending.clear();
		this.notAwaited.clear();
		return lost;
	}

	/** Completes a hand-off future on the loop. */
	private final class Completion<T extends @Nullable Object> implements Runnable {

		private final DefaultLoopFuture<T> future;

		private final @Nullable T value;

		private final @Nullable Throwable failure;

		private final @Nullable Object source;

		Completion(DefaultLoopFuture<T> future, @Nullable T value, @Nullable Throwable failure,
				@Nullable Object source) {
			this.future = future;
			this.value = value;
			this.failure = failure;
			this.source = source;
		}

		@Override
		public void run() {
			HandOffs.this.pending.remove(this.future);
			forgetNotAwaited(this.future);
			if (this.future.done()) {
				if (this.failure != null) {
					DefaultEventLoop.logger.debug("Outcome of {} dropped: the future was already done", this.future, this.failure);
				}
				return; // the source keeps its duty to be observed (CH-8)
			}
			if (this.source instanceof CompletionStage<?> stage) {
				EddyCompletableFuture.observe(stage); // copied: the duty moves to the target
			}
			else if (this.source instanceof CompletedLoopFuture<?> completed) {
				completed.observe();
			}
			if (this.failure instanceof CancellationException cancellation) {
				// D-1: a cancelled source cancels the target (Tornado would leave it pending forever).
				this.future.cancel(cancellation.getMessage());
			}
			else if (this.failure != null) {
				this.future.setException(this.failure);
			}
			else {
				this.future.setResult(Nullness.result(this.value));
			}
		}

		@Override
		public String toString() {
			return "hand-off to " + this.future;
		}

	}

}
