package dev.eddy.loop;

import java.util.concurrent.RejectedExecutionException;

/**
 * Work was handed to an {@link EventLoop} that already holds as many callbacks queued by other
 * threads plus pending timers as its capacity ({@code eddy.loop.queue-capacity},
 * {@link EventLoopBuilder#queueCapacity(int)}) allows. The work was not queued; the rejection
 * is counted in {@link LoopStatistics#callbacksRejected()}. Future-returning entry points
 * ({@link EventLoop#submit}) report it through a failed future instead of throwing.
 * <p>Thread-safe (immutable).
 */
public class EventLoopFullException extends RejectedExecutionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message names the loop, its capacity, the property key and the rejected work
	 */
	public EventLoopFullException(String message) {
		super(message);
	}

}
