package dev.eddy.internal;

import java.util.function.Consumer;

/**
 * The callback of {@code EventLoop.addFuture}: runs the user's callback with the awaited future.
 * The loop does not log a {@code CancellationException} thrown by it (IOL-2); it counts it.
 * <p>Thread-safe (immutable); runs on the loop thread.
 *
 * @param <F> the type of the awaited future
 */
final class AddFutureCallback<F> implements Runnable, Consumer<Object> {

	private final Consumer<? super F> callback;

	private final F future;

	AddFutureCallback(Consumer<? super F> callback, F future) {
		this.callback = callback;
		this.future = future;
	}

	@Override
	public void run() {
		this.callback.accept(this.future);
	}

	@Override
	public void accept(Object ignored) {
		run();
	}

	@Override
	public String toString() {
		return this.callback + " (addFuture of " + this.future + ")";
	}

}
