package dev.eddy.micrometer;

/**
 * The names, descriptions and base units of every meter Eddy registers, in one place. Names are
 * lowercase and dot-separated and never end in {@code .total}; Prometheus adds its own suffixes
 * ({@code eddy.futures.unobserved} becomes {@code eddy_futures_unobserved_total}). Counters and
 * gauges carry no base unit on purpose: Micrometer's Prometheus naming would append it to the
 * name ({@code eddy_futures_unobserved_futures_total}); timers are in seconds. The metrics
 * reference ({@code docs/metrics.md}) lists each meter with its unit and is checked against what
 * is registered.
 * <p>Thread-safe (constants).
 */
public final class EddyMeters {

	/** Failed futures nobody observed. Tags: {@code exception} (class), {@code source} (loop or {@code Class#method}). */
	public static final String UNOBSERVED = "eddy.futures.unobserved";

	/** Description of {@link #UNOBSERVED}. */
	public static final String UNOBSERVED_DESCRIPTION = "Failed futures whose exception nobody observed";

	/** Failures not tracked because {@code eddy.unobserved.max-tracked} trackers were alive. */
	public static final String UNOBSERVED_UNTRACKED = "eddy.futures.unobserved.untracked";

	/** Description of {@link #UNOBSERVED_UNTRACKED}. */
	public static final String UNOBSERVED_UNTRACKED_DESCRIPTION = "Failures not tracked because the tracker cap was reached";

	/** Failures being watched now. */
	public static final String UNOBSERVED_TRACKED = "eddy.futures.unobserved.tracked";

	/** Description of {@link #UNOBSERVED_TRACKED}. */
	public static final String UNOBSERVED_TRACKED_DESCRIPTION = "Failed futures being watched for observation now";

	/** Loop callbacks run. Tags: {@code loop}, {@code outcome} ({@code success}, {@code error}, {@code rejected}). */
	public static final String LOOP_CALLBACKS = "eddy.loop.callbacks";

	/** Description of {@link #LOOP_CALLBACKS}. */
	public static final String LOOP_CALLBACKS_DESCRIPTION = "Callbacks the event loop ran, or rejected after close";

	/** Callbacks queued and not started. Tag: {@code loop}. */
	public static final String LOOP_PENDING = "eddy.loop.pending";

	/** Description of {@link #LOOP_PENDING}. */
	public static final String LOOP_PENDING_DESCRIPTION = "Callbacks queued on the event loop and not yet started";

	/** Time from queuing a probe callback to its start, sampled every 100 ms. Tag: {@code loop}. */
	public static final String LOOP_LAG = "eddy.loop.lag";

	/** Description of {@link #LOOP_LAG}. */
	public static final String LOOP_LAG_DESCRIPTION = "Delay between queuing a probe callback and the loop starting it";

	/** Episodes of one callback running past {@code eddy.loop.blocked-threshold}. Tag: {@code loop}. */
	public static final String LOOP_BLOCKED = "eddy.loop.blocked";

	/** Description of {@link #LOOP_BLOCKED}. */
	public static final String LOOP_BLOCKED_DESCRIPTION = "Times the event loop was blocked by one callback past the threshold";

	/** Wake-ups of the sleeping loop by other threads. Tag: {@code loop}. */
	public static final String LOOP_WAKEUPS = "eddy.loop.wakeups";

	/** Description of {@link #LOOP_WAKEUPS}. */
	public static final String LOOP_WAKEUPS_DESCRIPTION = "Times another thread woke the sleeping event loop";

	/** Callbacks slower than {@code eddy.loop.slow-callback-threshold}; only with {@code eddy.loop.debug}. Tag: {@code loop}. */
	public static final String LOOP_SLOW = "eddy.loop.slow";

	/** Description of {@link #LOOP_SLOW}. */
	public static final String LOOP_SLOW_DESCRIPTION = "Callbacks slower than the slow-callback threshold (debug mode only)";

	/** Time tasks waited in a named executor's queue. Tag: {@code name}. */
	public static final String EXECUTOR_QUEUE_WAIT = "eddy.executor.queue.wait";

	/** Description of {@link #EXECUTOR_QUEUE_WAIT}. */
	public static final String EXECUTOR_QUEUE_WAIT_DESCRIPTION = "Time tasks waited in the executor's queue before starting";

	/** Tasks of a named executor by outcome, timed while running. Tags: {@code name}, {@code outcome}. */
	public static final String EXECUTOR_TASKS = "eddy.executor.tasks";

	/** Description of {@link #EXECUTOR_TASKS}. */
	public static final String EXECUTOR_TASKS_DESCRIPTION = "Tasks of the executor by outcome (success, failure, cancelled, rejected)";

	private EddyMeters() {
	}

}
