package dev.eddy.actuate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureListener;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the last few unobserved failures for the {@code eddy} endpoint: a listener of the
 * detector, bounded, dropping the oldest.
 * <p>Thread-safe.
 */
public final class RecentUnobservedFailures implements UnobservedFailureListener {

	private final int capacity;

	private final Clock clock;

	private final Deque<Entry> entries = new ArrayDeque<>(); // guarded by itself

	private final AtomicLong total = new AtomicLong();

	/**
	 * @param capacity how many failures are kept
	 */
	public RecentUnobservedFailures(int capacity) {
		this(capacity, Clock.systemUTC());
	}

	RecentUnobservedFailures(int capacity, Clock clock) {
		if (capacity <= 0) {
			throw new IllegalArgumentException("'capacity' must be positive, was " + capacity);
		}
		this.capacity = capacity;
		this.clock = clock;
	}

	@Override
	public void onUnobservedFailure(UnobservedFailure failure) {
		Throwable exception = failure.exception();
		Entry entry = new Entry(exception.getClass().getName(), safeMessage(exception), failure.source(),
				Instant.now(this.clock), creationSite(failure.creationSite()));
		synchronized (this.entries) {
			if (this.entries.size() == this.capacity) {
				this.entries.removeFirst();
			}
			this.entries.addLast(entry);
		}
		this.total.incrementAndGet();
	}

	/** @return the failures kept, newest first */
	public List<Entry> recent() {
		synchronized (this.entries) {
			List<Entry> newestFirst = new ArrayList<>(this.entries);
			java.util.Collections.reverse(newestFirst);
			return newestFirst;
		}
	}

	/** @return failures reported since start, kept or not */
	public long total() {
		return this.total.get();
	}

	private static @Nullable String safeMessage(Throwable exception) {
		try {
			return exception.getMessage();
		}
		catch (RuntimeException ex) { // a hostile getMessage() must not lose the report
			return "(getMessage() threw " + ex.getClass().getName() + ")";
		}
	}

	private static @Nullable String creationSite(@Nullable Throwable site) {
		if (site == null) {
			return null;
		}
		for (StackTraceElement frame : site.getStackTrace()) {
			if (!frame.getClassName().startsWith("dev.eddy.") && !frame.getClassName().startsWith("java.")
					&& !frame.getClassName().startsWith("org.springframework.")) {
				return frame.toString();
			}
		}
		StackTraceElement[] frames = site.getStackTrace();
		return (frames.length > 0) ? frames[0].toString() : null;
	}

	/**
	 * One failure.
	 *
	 * @param exception the exception's class name
	 * @param message its message (shown by the endpoint only when allowed)
	 * @param source the loop's name or {@code Class#method}
	 * @param time when it was reported
	 * @param creationSite the first application frame where the future was created, at level
	 * {@code TRACED}; else null
	 */
	public record Entry(String exception, @Nullable String message, String source, Instant time, @Nullable String creationSite) {
	}

}
