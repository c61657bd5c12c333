package dev.eddy.executor;

/**
 * What threads a named executor runs its tasks on.
 * <p>Thread-safe (an enum).
 */
public enum ExecutorKind {

	/** A pool of platform threads with a bounded queue. */
	PLATFORM,

	/**
	 * One virtual thread per task, at most {@code max-size} at once, the rest waiting in a
	 * bounded queue. Needs Java 21 or later.
	 */
	VIRTUAL

}
