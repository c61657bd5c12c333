package dev.eddy.loop;

import org.jspecify.annotations.Nullable;

/**
 * Live counters of one {@link EventLoop}, read by metrics and health checks. Values are
 * written by the loop thread with plain-cost opaque stores and may lag by a few callbacks
 * when read from another thread; they never go backwards.
 * <p>Thread-safe.
 */
public interface LoopStatistics {

	/** @return callbacks that returned normally */
	long callbacksSucceeded();

	/** @return callbacks that threw (logged, rate-limited, and counted here every time; CB-9) */
	long callbacksFailed();

	/**
	 * @return callbacks refused because the loop was closing, closed or terminated (D-2), or full
	 * ({@code eddy.loop.queue-capacity}); and callbacks that could never run because the loop
	 * terminated after accepting them
	 */
	long callbacksRejected();

	/** @return times a producer thread woke the sleeping loop */
	long wakeups();

	/** @return callbacks slower than the slow-callback threshold; counted only in debug mode */
	long slowCallbacks();

	/** @return callbacks queued and not yet started, approximately */
	int pending();

	/**
	 * Progress marker: increases by one per callback started. A watchdog that sees it unchanged
	 * while {@link #busy()} is true knows the loop is stuck in one callback.
	 * @return the number of callbacks started so far
	 */
	long progress();

	/** @return whether the loop thread is inside an iteration rather than asleep or stopped */
	boolean busy();

	/** @return episodes in which one callback ran longer than the blocked threshold */
	long blockedEpisodes();

	/** @return whether the loop is blocked now: one callback has run longer than the blocked threshold */
	boolean blocked();

	/**
	 * @return whether the loop can still run callbacks: false once closed, or if its own thread
	 * died
	 */
	boolean alive();

	/**
	 * Why the loop terminated on its own, if it did: its thread failed, or the owner thread of an
	 * {@code onCurrentThread} loop ended without closing it. Null while it runs and after a
	 * {@code close()}: a closed loop was closed by someone, a terminated one was not.
	 * @return the cause, or null
	 */
	default @Nullable String terminationCause() {
		return null;
	}

}
