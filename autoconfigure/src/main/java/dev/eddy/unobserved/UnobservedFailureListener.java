package dev.eddy.unobserved;

/**
 * Told of every failed future that nobody observed, once per future, and of every failure that
 * can never be observed (a {@code void @RunOnExecutor} method). Unlike the log, which is
 * de-duplicated and rate-limited, listeners see every single report; Eddy's Micrometer counter
 * is one.
 * <p>Implementations must be thread-safe: they are called on the detector's reaper thread or on
 * the thread where an unobservable failure happened. They should return quickly; an exception
 * thrown by a listener is logged and does not stop the others.
 */
@FunctionalInterface
public interface UnobservedFailureListener {

	/**
	 * Called once per unobserved failure.
	 * @param failure what failed, where, and (at level {@code TRACED}) where the future was made
	 */
	void onUnobservedFailure(UnobservedFailure failure);

}
