package dev.eddy.internal;

import dev.eddy.loop.EventLoop;

/**
 * Makes a loop's thread fail the way no user code can: through the loop's own bookkeeping path
 * ({@link DefaultEventLoop.LoopInternal}), which runs outside the callback guard (as
 * {@code LoopDeathTests} does). For tests outside this package that need a dead loop.
 */
public final class LoopThreadFailure {

	private LoopThreadFailure() {
	}

	/**
	 * Fails the loop's thread with a simulated {@link OutOfMemoryError} of its machinery; the loop
	 * then terminates.
	 * @param loop a loop made by Eddy, with its own thread
	 */
	public static void inject(EventLoop loop) {
		((DefaultEventLoop) loop).tryDeliver(new DefaultEventLoop.LoopInternal() {
			@Override
			public void run() {
				throw new OutOfMemoryError("simulated failure of the loop's own machinery");
			}
		});
	}

}
