package dev.eddy.loop;

import java.util.concurrent.RejectedExecutionException;

/**
 * Work was handed to an {@link EventLoop} that is closing or closed (deviation D-2: Tornado
 * loses such callbacks or fails late; Eddy rejects them at once and counts them).
 * <p>Thread-safe (immutable).
 */
public class EventLoopClosedException extends RejectedExecutionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message names the loop, the rejected work and what to do instead
	 */
	public EventLoopClosedException(String message) {
		super(message);
	}

}
