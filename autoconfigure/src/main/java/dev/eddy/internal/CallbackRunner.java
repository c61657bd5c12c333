package dev.eddy.internal;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Runs one callback of a loop: counts it, times it in debug mode, and contains whatever it throws
 * (logged rate-limited and counted, CB-9), including a throw from the code Eddy calls to describe
 * and log it: the loop outlives any user code.
 * <p>Loop-confined: called on the loop thread only.
 */
final class CallbackRunner {

	private final DefaultEventLoop loop;

	private final LoopCounters counters;

	/** Slow-callback threshold in debug mode, or -1 when callbacks are not timed. */
	private final long slowCallbackNanos;

	CallbackRunner(DefaultEventLoop loop, long slowCallbackNanos) {
		this.loop = loop;
		this.counters = loop.counters;
		this.slowCallbackNanos = slowCallbackNanos;
	}

	/**
	 * Runs one callback, counting it, and timing it in debug mode. A throw is logged
	 * (rate-limited) and counted, and the loop goes on (CB-9).
	 * @param callback a {@link Runnable}, or a done-callback ({@link Consumer}) when
	 * {@code future} is set
	 * @param future the future a done-callback receives, else null
	 */
	@SuppressWarnings("unchecked")
	void run(Object callback, @Nullable Object future) {
		this.counters.countStarted();
		boolean timed = this.slowCallbackNanos >= 0;
		long started = timed ? System.nanoTime() : 0;
		try {
			if (future == null) {
				((Runnable) callback).run();
			}
			else {
				((Consumer<Object>) callback).accept(future);
			}
			this.counters.countSucceeded();
		}
		catch (Throwable ex) {
			failed(callback, future, ex);
		}
		if (timed) {
			long took = System.nanoTime() - started;
			if (took > this.slowCallbackNanos) {
				this.counters.countSlow();
				try {
					DefaultEventLoop.logger.warn("Executing callback {}{} on EventLoop '{}' took {} ms (slow-callback threshold {} ms)",
							Describe.value(callback), (future != null) ? " for " + Describe.value(future) : "", this.loop.name,
							took / 1_000_000, this.slowCallbackNanos / 1_000_000);
				}
				catch (Throwable logFailure) {
					// Counted above; a logging failure must not end the loop.
				}
			}
		}
	}

	/**
	 * Counts and logs a callback's throw (CB-9). Never throws, whatever the callback, its future
	 * or its exception do when described.
	 */
	private void failed(Object callback, @Nullable Object future, Throwable ex) {
		this.counters.countFailed();
		if (ex instanceof AddFutureCallback.QuietCancellation) {
			return; // IOL-2: counted, not logged
		}
		try {
			String message = "Exception in callback " + Describe.value(callback)
					+ ((future != null) ? " for " + Describe.value(future) : "") + " on EventLoop '" + this.loop.name + "'";
			String key = ex.getClass().getName() + "|" + callback.getClass().getName();
			try {
				this.loop.callbackErrors.error(key, message, ex);
			}
			catch (Throwable logFailure) {
				// The exception's own methods threw inside the logging framework: log a safe copy instead.
				this.loop.callbackErrors.error(key + "#safe", message + " (its exception's own methods threw "
						+ logFailure.getClass().getName() + " while it was logged; shown as a safe copy)", Describe.safeCopy(ex));
			}
		}
		catch (Throwable unloggable) {
			// Even the safe copy failed (an OutOfMemoryError, a stack at its edge): the failure is counted above.
		}
	}

	/** Logs at ERROR with an exception that may be hostile; never throws. */
	static void logSafely(String message, Throwable ex) {
		try {
			try {
				DefaultEventLoop.logger.error(message, ex);
			}
			catch (Throwable logFailure) {
				DefaultEventLoop.logger.error(message + " (shown as a safe copy)", Describe.safeCopy(ex));
			}
		}
		catch (Throwable unloggable) {
			// nothing left to try
		}
	}

}
