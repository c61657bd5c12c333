package dev.eddy.executor;

/**
 * What a named executor does with a task when its threads are busy and its queue is full. There
 * is deliberately no policy that discards: nothing is lost.
 * <p>Thread-safe (an enum).
 */
public enum RejectionPolicy {

	/** Fail the caller's future with a {@code RejectedExecutionException} naming the executor and its limits. */
	ABORT,

	/**
	 * Run the task on the submitting thread. Refused from an event-loop thread, where it would
	 * block the loop: the future fails instead, as with {@link #ABORT}.
	 */
	CALLER_RUNS

}
