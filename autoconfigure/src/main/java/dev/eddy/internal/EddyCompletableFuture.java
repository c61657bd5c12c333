package dev.eddy.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * The {@code CompletableFuture}s Eddy hands out. Blocking on one from the thread of the loop
 * that must complete it would deadlock, so {@code get} and {@code join} throw instead while it
 * is incomplete.
 * <p>Thread-safe.
 *
 * @param <T> the result type
 */
public class EddyCompletableFuture<T extends @Nullable Object> extends CompletableFuture<T> {

	private final @Nullable DefaultEventLoop completingLoop;

	/**
	 * Creates an incomplete future.
	 * @param completingLoop the loop that completes it, or null
	 */
	public EddyCompletableFuture(@Nullable DefaultEventLoop completingLoop) {
		this.completingLoop = completingLoop;
	}

	@Override
	public <U> CompletableFuture<U> newIncompleteFuture() {
		return new EddyCompletableFuture<>(null);
	}

	@Override
	public T get() throws InterruptedException, ExecutionException {
		checkNotBlockingLoop("get()");
		return super.get();
	}

	@Override
	public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
		checkNotBlockingLoop("get(timeout)");
		return super.get(timeout, unit);
	}

	@Override
	public T join() {
		checkNotBlockingLoop("join()");
		return super.join();
	}

	private void checkNotBlockingLoop(String method) {
		DefaultEventLoop loop = this.completingLoop;
		if (loop != null && !isDone() && loop.inLoopThread()) {
			throw new IllegalStateException(method + " on the thread of EventLoop '" + loop.name
					+ "', which must complete this future, would deadlock; use thenAccept/whenComplete or the LoopFuture instead");
		}
	}

}
