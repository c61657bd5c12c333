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
		try {
			this.callback.accept(this.future);
		}
		catch (java.util.concurrent.CancellationException ex) {
			throw new QuietCancellation(ex); // IOL-2: counted, not logged, even through a task decorator
		}
	}

	/** Carries a callback's {@code CancellationException} to the loop, which counts it without logging. */
	static final class QuietCancellation extends RuntimeException {

		private static final long serialVersionUID = 1L;

		QuietCancellation(java.util.concurrent.CancellationException cause) {
			super(cause.getMessage(), cause, false, false);
		}

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
