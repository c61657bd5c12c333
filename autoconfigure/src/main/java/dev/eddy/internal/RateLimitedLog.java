package dev.eddy.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Keeps a flood of identical errors from flooding the log: within each window, at most
 * {@code maxPerWindow} lines are written and a key already logged in the window is not logged
 * again. What was held back is summed up in one line when the next window opens. Callers count
 * every event themselves; this only decides what reaches the log.
 * <p>Thread-safe (synchronized; called on error paths only).
 */
public final class RateLimitedLog {

	private static final int MAX_KEYS = 1024;

	private final Logger logger;

	private final long windowNanos;

	private final int maxPerWindow;

	private final LongSupplier nanoClock;

	private final Set<String> keysInWindow = new HashSet<>(); // guarded by this

	private long windowStart; // guarded by this

	private int loggedInWindow; // guarded by this

	private long suppressedInWindow; // guarded by this

	/**
	 * Creates a limiter.
	 * @param logger where lines go
	 * @param windowNanos window length
	 * @param maxPerWindow most lines per window
	 * @param nanoClock monotonic clock
	 */
	public RateLimitedLog(Logger logger, long windowNanos, int maxPerWindow, LongSupplier nanoClock) {
		this.logger = logger;
		this.windowNanos = windowNanos;
		this.maxPerWindow = maxPerWindow;
		this.nanoClock = nanoClock;
		this.windowStart = nanoClock.getAsLong();
	}

	/**
	 * A limiter with a 10-second window and at most 10 lines per window.
	 * @param logger where lines go
	 * @return the limiter
	 */
	public static RateLimitedLog tenPer10Seconds(Logger logger) {
		return new RateLimitedLog(logger, 10_000_000_000L, 10, System::nanoTime);
	}

	/**
	 * Logs at ERROR unless the limit or a duplicate key says otherwise.
	 * @param key what makes two events duplicates (for example exception class and source)
	 * @param message the message
	 * @param exception the exception to attach
	 * @return whether the line was written
	 */
	public boolean error(String key, String message, Throwable exception) {
		Admission admission = admit(key);
		if (admission.held() > 0) {
			this.logger.error("{} similar error(s) were not logged in the previous window (logging is rate-limited "
					+ "and de-duplicated; the counters count every one)", admission.held());
		}
		if (admission.write()) {
			this.logger.error(message, exception);
		}
		return admission.write();
	}

	/**
	 * As {@link #error}, at WARN, without an exception and without de-duplication (only the
	 * per-window limit applies); shares the window and its summary.
	 * @param message the message
	 * @return whether the line was written
	 */
	public boolean warn(String message) {
		Admission admission = admit(null);
		if (admission.held() > 0) {
			this.logger.warn("{} similar warning(s) were not logged in the previous window (logging is rate-limited)",
					admission.held());
		}
		if (admission.write()) {
			this.logger.warn(message);
		}
		return admission.write();
	}

	/** Whether a line may be written, and how many the window that just ended held back. */
	private record Admission(long held, boolean write) {
	}

	/**
	 * Rolls the window over when it has ended, then admits or holds back one line.
	 * @param key what makes two lines duplicates, or {@code null} to apply only the per-window limit
	 */
	private synchronized Admission admit(@Nullable String key) {
		long now = this.nanoClock.getAsLong();
		long held = 0;
		if (now - this.windowStart >= this.windowNanos) {
			held = this.suppressedInWindow;
			this.windowStart = now;
			this.loggedInWindow = 0;
			this.suppressedInWindow = 0;
			this.keysInWindow.clear();
		}
		// Past MAX_KEYS distinct keys in one window, everything counts as a duplicate: the set stays bounded.
		boolean duplicate = key != null && (this.keysInWindow.contains(key) || this.keysInWindow.size() >= MAX_KEYS
				|| !this.keysInWindow.add(key));
		if (duplicate || this.loggedInWindow >= this.maxPerWindow) {
			this.suppressedInWindow++;
			return new Admission(held, false);
		}
		this.loggedInWindow++;
		return new Admission(held, true);
	}

	/**
	 * Writes the summary of what the current window held back, if anything, and starts a new
	 * window. Call it when the owner closes, so that no held-back count is lost at shutdown.
	 * @return how many lines the summary covered (0 when none was written)
	 */
	public long flush() {
		long held;
		synchronized (this) {
			held = this.suppressedInWindow;
			this.windowStart = this.nanoClock.getAsLong();
			this.loggedInWindow = 0;
			this.suppressedInWindow = 0;
			this.keysInWindow.clear();
		}
		if (held > 0) {
			this.logger.error("{} similar error(s) were not logged in the last window (logging is rate-limited "
					+ "and de-duplicated; the counters count every one)", held);
		}
		return held;
	}

}
