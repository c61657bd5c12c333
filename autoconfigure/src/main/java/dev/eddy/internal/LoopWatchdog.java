package dev.eddy.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a loop stuck in one callback for longer than its blocked threshold (Vert.x's
 * {@code BlockedThreadChecker}). The loop pays nothing extra per callback: it already publishes a
 * progress counter and a busy flag; this thread compares them between checks. One report per
 * episode (a WARN with the loop thread's stack, and a count), one INFO line when it recovers.
 * <p>Thread-safe. One daemon thread serves every loop of the JVM.
 */
final class LoopWatchdog {

	private static final Logger logger = LoggerFactory.getLogger("dev.eddy.loop");

	private static final ScheduledExecutorService CHECKER = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "eddy-loop-watchdog");
		thread.setDaemon(true);
		return thread;
	});

	private static final Set<LoopWatchdog> WATCHED = ConcurrentHashMap.newKeySet();

	private final DefaultEventLoop loop;

	private final long thresholdNanos;

	private final ScheduledFuture<?> schedule;

	// The fields below are touched only by the checker thread.
	private long lastProgress = -1;

	private long stuckSince;

	private boolean reported;

	private LoopWatchdog(DefaultEventLoop loop, long thresholdNanos) {
		this.loop = loop;
		this.thresholdNanos = thresholdNanos;
		long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), thresholdNanos / 4);
		this.schedule = CHECKER.scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
	}

	/**
	 * Starts watching a loop.
	 * @param loop the loop
	 * @param thresholdNanos how long one callback may run before the loop counts as blocked
	 * @return the watchdog; {@link #stop()} it when the loop closes
	 */
	static LoopWatchdog watch(DefaultEventLoop loop, long thresholdNanos) {
		LoopWatchdog watchdog = new LoopWatchdog(loop, thresholdNanos);
		WATCHED.add(watchdog);
		return watchdog;
	}

	void stop() {
		this.schedule.cancel(false);
		WATCHED.remove(this);
	}

	/** @return how many loops are watched now */
	static int watchedCount() {
		return WATCHED.size();
	}

	private void check() {
		try {
			if (this.loop.ownerDied()) {
				return; // an onCurrentThread loop whose thread ended: terminated, and this watchdog stopped
			}
			long now = System.nanoTime();
			long progress = this.loop.counters.progress();
			if (!this.loop.counters.busy() || progress != this.lastProgress) {
				if (this.reported) {
					logger.info("EventLoop '{}' is running again after being blocked for {} ms", this.loop.name,
							TimeUnit.NANOSECONDS.toMillis(now - this.stuckSince));
					this.reported = false;
					this.loop.counters.blockedEpisodeEnded();
				}
				this.lastProgress = progress;
				this.stuckSince = now;
				return;
			}
			if (!this.reported && now - this.stuckSince >= this.thresholdNanos) {
				this.reported = true;
				this.loop.counters.blockedEpisodeStarted();
				Thread thread = this.loop.owner();
				BlockedLoopException stack = new BlockedLoopException(thread);
				logger.warn("EventLoop '{}' has been running one callback for {} ms, over the blocked threshold of {} ms; thread"
						+ " '{}' is at the stack shown. Move blocking work to an executor (runInExecutor or @RunOnExecutor)",
						this.loop.name, TimeUnit.NANOSECONDS.toMillis(now - this.stuckSince),
						TimeUnit.NANOSECONDS.toMillis(this.thresholdNanos), thread.getName(), stack);
			}
		}
		catch (RuntimeException ex) {
			logger.error("Loop watchdog check of '{}' failed", this.loop.name, ex);
		}
	}

	/** Carries the blocked loop thread's stack into the log. */
	static final class BlockedLoopException extends Exception {

		private static final long serialVersionUID = 1L;

		BlockedLoopException(Thread thread) {
			super("stack of blocked loop thread '" + thread.getName() + "'", null, false, true);
			setStackTrace(thread.getStackTrace());
		}

	}

	@Override
	public String toString() {
		return "LoopWatchdog[" + this.loop.name + "]";
	}

}
