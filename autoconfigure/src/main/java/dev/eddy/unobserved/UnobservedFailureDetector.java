package dev.eddy.unobserved;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.eddy.internal.Describe;
import dev.eddy.internal.RateLimitedLog;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds failed futures whose exception nobody ever observed: asyncio's "Future exception was
 * never retrieved" and Tornado 4.1+'s log at garbage collection (GC-1..GC-8).
 * <p>Only failures are tracked: a future that succeeds costs nothing. A failure gets a tracker
 * that holds the exception, never the future; observing the failure unlinks the tracker at
 * once, so the garbage collector never queues it. When a future with a live tracker is collected, the
 * reaper thread logs one line on logger {@code dev.eddy.unobserved} (de-duplicated and
 * rate-limited) and tells every {@link UnobservedFailureListener} (never limited).
 * <p>At most {@link Builder#maxTracked(int) maxTracked} trackers live at once; failures past
 * that are not tracked and are counted in {@link #untrackedCount()}, so a flood of abandoned
 * failures cannot exhaust memory or slow the loop.
 * <p>A tracker is as small as a phantom reference allows (40 bytes at {@code SIMPLE} with
 * compressed pointers): where it was made (loop name and label) is shared by every tracker of
 * the same origin, and the tracker is kept reachable by a slot in a table rather than by links
 * of its own. The table grows up to {@code maxTracked} slots and shrinks again once under a
 * quarter of it is in use.
 * <p>Nothing the user's objects or listeners throw stops the reaper thread, {@code Error}s and
 * {@code StackOverflowError}s included: the report is still counted, the later listeners are still
 * told, and later failures are still reported. What the log held back is summed up at the latest
 * when the detector closes.
 * <p>Thread-safe.
 */
public final class UnobservedFailureDetector implements AutoCloseable {

	/** How much the detector does. */
	public enum Level {

		/** Nothing is tracked or reported. */
		DISABLED,

		/** Failures are tracked and reported (the default). */
		SIMPLE,

		/** As {@link #SIMPLE}, and where each future was created is recorded and printed. */
		TRACED

	}

	/** Logger of the reports. */
	public static final String LOGGER_NAME = "dev.eddy.unobserved";

	/** Default {@link Builder#maxTracked(int)}. */
	public static final int DEFAULT_MAX_TRACKED = 100_000;

	private static final Logger logger = LoggerFactory.getLogger(LOGGER_NAME);

	private static final AtomicInteger reaperCount = new AtomicInteger();

	private static volatile @Nullable UnobservedFailureDetector global;

	private final Level level;

	private final int maxTracked;

	private final List<UnobservedFailureListener> listeners = new CopyOnWriteArrayList<>();

	private final ReferenceQueue<Object> queue = new ReferenceQueue<>();

	/** Most distinct failures logged per 10-second window; duplicates of a logged one are summed up. */
	static final int MAX_LOGGED_PER_WINDOW = 100;

	private final RateLimitedLog log = new RateLimitedLog(logger, 10_000_000_000L, MAX_LOGGED_PER_WINDOW,
			System::nanoTime);

	/** Most origins (loop name and label pairs) shared by trackers; past it a tracker gets its own. */
	static final int MAX_ORIGINS = 256;

	/** Slots the table starts with, and returns to when it is empty. */
	private static final int INITIAL_SLOTS = 16;

	private final Object slotLock = new Object();

	private Tracker[] slots = new Tracker[INITIAL_SLOTS]; // live trackers keep themselves reachable here; guarded by slotLock

	private int[] freeSlots = new int[INITIAL_SLOTS]; // stack of the free slots below usedSlots; guarded by slotLock

	private int freeCount; // guarded by slotLock

	private int usedSlots; // high-water mark of the slots handed out; guarded by slotLock

	private final Map<String, Origin> origins = new ConcurrentHashMap<>();

	private volatile @Nullable Origin lastOrigin; // a loop tracks with the same strings every time: no map lookup


	private final AtomicLong untracked = new AtomicLong();

	private final AtomicLong reported = new AtomicLong();

	private final AtomicInteger reporting = new AtomicInteger(); // collected failures the reaper is logging and telling now

	private volatile @Nullable Thread reaper;

	private volatile boolean closed;

	private UnobservedFailureDetector(Builder builder) {
		this.level = builder.level;
		this.maxTracked = builder.maxTracked;
		this.listeners.addAll(builder.listeners);
	}

	/**
	 * The detector loops use when none is configured: level {@code SIMPLE}, logging only.
	 * @return the shared default detector
	 */
	public static UnobservedFailureDetector global() {
		UnobservedFailureDetector detector = global;
		if (detector == null) {
			synchronized (UnobservedFailureDetector.class) {
				detector = global;
				if (detector == null) {
					detector = builder().build();
					global = detector;
					flushAtExit(detector);
				}
			}
		}
		return detector;
	}

	/**
	 * The global detector is never closed, so what its log held back is summed up when the JVM
	 * exits (best effort: a logging framework stopped by its own hook drops the line).
	 */
	private static void flushAtExit(UnobservedFailureDetector detector) {
		try {
			Runtime.getRuntime().addShutdownHook(new Thread(detector::flushSafely, "eddy-unobserved-flush"));
		}
		catch (IllegalStateException | SecurityException ex) {
			// The JVM is shutting down already, or hooks are not allowed: nothing to flush into.
		}
	}

	/** @return a builder with the defaults: {@code SIMPLE}, 100,000 trackers, no listener */
	public static Builder builder() {
		return new Builder();
	}

	/** @return the level */
	public Level level() {
		return this.level;
	}

	/**
	 * Adds a listener that is told of every report from now on.
	 * @param listener the listener
	 */
	public void addListener(UnobservedFailureListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	/**
	 * Removes a listener.
	 * @param listener the listener
	 */
	public void removeListener(UnobservedFailureListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * What a future records when it is created: at level {@code TRACED} an exception whose stack
	 * trace is the creation site, else {@code null}.
	 * @return the creation site or {@code null}
	 */
	public @Nullable Throwable creationSite() {
		return (this.level == Level.TRACED) ? new CreationSite() : null;
	}

	/**
	 * Starts watching a failed future. Called by the future at the moment it fails.
	 * @param future the failed future; only weakly watched, never held
	 * @param exception its exception
	 * @param source the loop name or {@code Class#method}
	 * @param label how the future introduces itself, such as {@code LoopFuture[loop=main]}; the
	 * report appends the failure
	 * @param creationSite from {@link #creationSite()}, or {@code null}
	 * @return the tracker to {@link Tracker#observed() drop} when the failure is observed, or
	 * {@code null} when detection is disabled or the cap is reached
	 */
	public @Nullable Tracker track(Object future, Throwable exception, String source, String label,
			@Nullable Throwable creationSite) {
		if (this.level == Level.DISABLED || this.closed) {
			return null;
		}
		if (liveRacy() >= this.maxTracked) { // a flood past the cap allocates nothing; link() decides exactly
			this.untracked.incrementAndGet();
			return null;
		}
		Origin origin = origin(source, label);
		Tracker tracker = (creationSite != null) ? new TracedTracker(origin, future, exception, creationSite)
				: new Tracker(origin, future, exception);
		if (!link(tracker)) {
			this.untracked.incrementAndGet();
			return null; // unreachable from here on, so never queued
		}
		if (this.reaper == null) {
			startReaper();
		}
		return tracker;
	}

	/**
	 * Reports a failure that can never be observed (a {@code void @RunOnExecutor} method), at
	 * once, through the same log and listeners. Works at every level but {@code DISABLED}.
	 * @param exception the failure
	 * @param source {@code Class#method} or another place name
	 * @param description what failed
	 */
	public void reportNow(Throwable exception, String source, String description) {
		if (this.level == Level.DISABLED) {
			return;
		}
		report(new UnobservedFailure(exception, source, description, null));
	}

	/** @return trackers alive now: failures not yet observed nor collected */
	public int trackedCount() {
		synchronized (this.slotLock) {
			return this.usedSlots - this.freeCount;
		}
	}

	/** @return failures not tracked because {@code maxTracked} trackers were alive */
	public long untrackedCount() {
		return this.untracked.get();
	}

	/**
	 * Collected failures whose report is being made right now (logged and told to the
	 * listeners) on the reaper thread: a test that waits for reports after a garbage collection
	 * waits until this is zero, since a tracker leaves {@link #trackedCount()} before its report
	 * reaches the listeners.
	 * @return reports in progress on the reaper thread
	 */
	public int reportsInProgress() {
		return this.reporting.get();
	}

	/** @return reports made so far, each told to every listener */
	public long reportedCount() {
		return this.reported.get();
	}

	/**
	 * Stops the reaper thread; failures are no longer tracked; the summary of what the log held
	 * back is written. The {@link #global()} detector ignores this (it writes its summary when the
	 * JVM exits).
	 */
	@Override
	public void close() {
		if (this == global) {
			return;
		}
		this.closed = true;
		Thread thread = this.reaper;
		if (thread != null) {
			thread.interrupt();
		}
		flushSafely();
	}

	@Override
	public String toString() {
		return "UnobservedFailureDetector[level=" + this.level + ", tracked=" + trackedCount() + ", untracked="
				+ untrackedCount() + ", reported=" + reportedCount() + "]";
	}

	/**
	 * The shared origin of trackers made with these strings. Loops and Eddy's
	 * {@code CompletableFuture}s pass the same string instances on every failure, so this costs
	 * no allocation after the first failure of each origin.
	 */
	private Origin origin(String source, String label) {
		Origin last = this.lastOrigin;
		if (last != null && last.label.equals(label) && last.source.equals(source)) {
			return last;
		}
		Origin origin = this.origins.get(label);
		if (origin == null || !origin.source.equals(source)) {
			origin = new Origin(this, source, label);
			if (this.origins.size() < MAX_ORIGINS) {
				this.origins.putIfAbsent(label, origin); // bounded: labels made per future cannot grow the map
			}
		}
		this.lastOrigin = origin;
		return origin;
	}

	/**
	 * Trackers alive, read without the lock: a hint only. An {@code int} read never tears, and
	 * {@link #link} checks the cap again under the lock.
	 */
	private int liveRacy() {
		return this.usedSlots - this.freeCount;
	}

	/**
	 * Makes the tracker reachable until it is unlinked (a phantom reference that is not reachable
	 * is never queued). The live count is the slots in use, so one lock does the cap check, the
	 * link and the count: no atomic besides the lock.
	 * @return false when {@code maxTracked} trackers are alive
	 */
	private boolean link(Tracker tracker) {
		synchronized (this.slotLock) {
			if (this.usedSlots - this.freeCount >= this.maxTracked) {
				return false;
			}
			int slot;
			if (this.freeCount > 0) {
				slot = this.freeSlots[--this.freeCount];
			}
			else {
				if (this.usedSlots == this.slots.length) {
					int size = this.slots.length * 2;
					this.slots = Arrays.copyOf(this.slots, size);
					this.freeSlots = Arrays.copyOf(this.freeSlots, size);
				}
				slot = this.usedSlots++;
			}
			this.slots[slot] = tracker;
			tracker.slot = slot;
		}
		return true;
	}

	/** @return whether this call unlinked the tracker (false: it was unlinked already) */
	boolean unlink(Tracker tracker) {
		synchronized (this.slotLock) {
			int slot = tracker.slot;
			if (slot < 0) {
				return false;
			}
			this.slots[slot] = null;
			tracker.slot = -1;
			this.freeSlots[this.freeCount++] = slot;
			if (this.freeCount == this.usedSlots) {
				// Every tracker is gone: start again from slot 0 (the common case: one failure, observed at once).
				this.freeCount = 0;
				this.usedSlots = 0;
				if (this.slots.length > 64 * INITIAL_SLOTS) {
					this.slots = new Tracker[INITIAL_SLOTS];
					this.freeSlots = new int[INITIAL_SLOTS];
				}
			}
			else if (this.usedSlots > 64 * INITIAL_SLOTS && (this.usedSlots - this.freeCount) * 4 < this.usedSlots) {
				compact();
			}
		}
		return true;
	}

	/**
	 * After a flood, when under a quarter of the slots in use hold a tracker: moves the live
	 * trackers to the first slots and gives back what the table grew to. Each run costs the
	 * slots in use, and the next needs at least as many unlinks again: amortized, a constant per
	 * unlink. Called under slotLock.
	 */
	private void compact() {
		int live = 0;
		for (int i = 0; i < this.usedSlots; i++) {
			Tracker tracker = this.slots[i];
			if (tracker != null) {
				if (i != live) {
					this.slots[live] = tracker;
					this.slots[i] = null;
					tracker.slot = live;
				}
				live++;
			}
		}
		this.usedSlots = live;
		this.freeCount = 0;
		int size = this.slots.length;
		while (size / 2 >= INITIAL_SLOTS && size / 2 >= 2 * live) {
			size /= 2;
		}
		if (size < this.slots.length) {
			this.slots = Arrays.copyOf(this.slots, size);
			this.freeSlots = new int[size];
		}
	}

	private synchronized void startReaper() {
		if (this.reaper != null || this.closed) {
			return;
		}
		Thread thread = new Thread(this::reap, "eddy-unobserved-reaper-" + reaperCount.incrementAndGet());
		thread.setDaemon(true);
		this.reaper = thread;
		thread.start();
	}

	private void reap() {
		try {
			while (!this.closed) {
				try {
					Tracker tracker = (Tracker) this.queue.remove();
					this.reporting.incrementAndGet();
					try {
						if (tracker.unlink()) {
							report(tracker.failure());
						}
					}
					finally {
						this.reporting.decrementAndGet();
					}
				}
				catch (InterruptedException ex) {
					// close() interrupts to stop the thread; the loop condition decides.
				}
				catch (Throwable ex) {
					// A listener's or the logging framework's Error, a StackOverflowError or an OutOfMemoryError that
					// report() rethrew after every listener was told: the report is counted; this thread goes on, or
					// every later failure would go unreported.
					reaperFailed(ex);
				}
			}
		}
		finally {
			// The last reports may have been made after close() flushed: what they held back is summed up now.
			flushSafely();
		}
	}

	private static void reaperFailed(Throwable ex) {
		try {
			logger.error("Unobserved-failure reaper failed; it keeps running", Describe.safeCopy(ex));
		}
		catch (Throwable again) {
			// Nothing more can be said; the reaper's job matters more than this line.
		}
	}

	private void flushSafely() {
		try {
			this.log.flush();
		}
		catch (Throwable ex) {
			reaperFailed(ex);
		}
	}

	/**
	 * Counts the failure, logs it (rate-limited) and tells every listener. Nothing the user's
	 * objects or listeners throw stops a later step: a listener's exception or {@code Error} is
	 * logged and the next listener still runs; a {@link VirtualMachineError} is rethrown, but only
	 * after every listener was told (so the counter still counts).
	 * @param failure the report
	 */
	void report(UnobservedFailure failure) {
		this.reported.incrementAndGet();
		Throwable fatal = null;
		try {
			log(failure);
		}
		catch (Throwable ex) {
			Describe.rethrowIfUnrecoverable(ex);
			fatal = (ex instanceof VirtualMachineError) ? ex : null;
			logSafely("Logging an unobserved failure failed; the listeners are still told", ex);
		}
		for (UnobservedFailureListener listener : this.listeners) {
			try {
				listener.onUnobservedFailure(failure);
			}
			catch (Throwable ex) {
				if (ex instanceof VirtualMachineError && fatal == null) {
					fatal = ex;
				}
				logSafely("UnobservedFailureListener " + Describe.value(listener) + " failed; the next listeners are still told",
						ex);
			}
		}
		if (fatal instanceof VirtualMachineError error) {
			throw error;
		}
	}

	/**
	 * Logs a failure of a listener or of the logging itself, with a safe copy of the exception
	 * (its own methods may throw again); if even that throws, nothing escapes, so the next
	 * listener is still told.
	 */
	private static void logSafely(String message, Throwable ex) {
		try {
			logger.error(message, Describe.safeCopy(ex));
		}
		catch (Throwable again) {
			// The logging framework itself failed: the report goes on without this line.
		}
	}

	private void log(UnobservedFailure failure) {
		Throwable exception = failure.exception();
		Throwable creationSite = failure.creationSite();
		String site = (creationSite != null)
				? "; the future was created at the place shown as the cause, the failure is shown as suppressed"
				: "; set eddy.unobserved.level=TRACED (or UnobservedFailureDetector.Level.TRACED) to record where failed futures are created";
		String message = "Future exception was never retrieved: " + failure.description() + " (source "
				+ failure.source() + ")" + site;
		String key = key(failure);
		Throwable attached = (creationSite != null) ? new CreationSiteReport(exception, creationSite) : exception;
		try {
			this.log.error(key, message, attached);
		}
		catch (RuntimeException | StackOverflowError ex) {
			// The exception's own methods (getMessage, toString, getCause) threw inside the logging framework.
			Throwable safe = Describe.safeCopy(exception);
			this.log.error(key + "#safe", message + " (the failure's own methods threw " + ex.getClass().getName()
					+ " while it was logged; shown as a safe copy)",
					(creationSite != null) ? new CreationSiteReport(safe, creationSite) : safe);
		}
	}

	/**
	 * What makes two failures the same for the log's de-duplication: the exception's type, the
	 * frame that threw it, the source, and (at TRACED) the creation site. Two different bugs that
	 * throw the same type on the same loop differ in their throwing frame, so both are logged.
	 */
	static String key(UnobservedFailure failure) {
		Throwable exception = failure.exception();
		Throwable creationSite = failure.creationSite();
		return exception.getClass().getName() + "@" + Describe.throwingFrame(exception) + "@" + failure.source()
				+ ((creationSite != null) ? "@" + creationSiteKey(creationSite) : "");
	}

	private static String creationSiteKey(Throwable creationSite) {
		StackTraceElement[] trace = creationSite.getStackTrace();
		StringBuilder key = new StringBuilder();
		for (int i = 0; i < Math.min(trace.length, 8); i++) {
			key.append(trace[i]).append(';');
		}
		return key.toString();
	}

	/**
	 * Settings of a new detector.
	 * <p>Not thread-safe: configure on one thread, then build.
	 */
	public static final class Builder {

		private Level level = Level.SIMPLE;

		private int maxTracked = DEFAULT_MAX_TRACKED;

		private final List<UnobservedFailureListener> listeners = new java.util.ArrayList<>();

		private Builder() {
		}

		/**
		 * How much the detector does; default {@code SIMPLE}.
		 * @param level the level
		 * @return this builder
		 */
		public Builder level(Level level) {
			this.level = Objects.requireNonNull(level, "level");
			return this;
		}

		/**
		 * Most trackers alive at once; failures past it are counted as untracked; default
		 * 100,000.
		 * @param maxTracked a positive number
		 * @return this builder
		 */
		public Builder maxTracked(int maxTracked) {
			if (maxTracked <= 0) {
				throw new IllegalArgumentException("'maxTracked' must be positive, was " + maxTracked);
			}
			this.maxTracked = maxTracked;
			return this;
		}

		/**
		 * Adds a listener.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(UnobservedFailureListener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		/** @return the detector; its reaper thread starts with the first tracked failure */
		public UnobservedFailureDetector build() {
			return new UnobservedFailureDetector(this);
		}

	}

	/**
	 * Watches one failed future. Holds the exception, never the future.
	 * <p>Thread-safe.
	 */
	public static class Tracker extends PhantomReference<Object> {

		private final Origin origin;

		private final Throwable exception;

		private int slot = -1; // in the detector's table while linked, else -1; guarded by the detector's slotLock

		private Tracker(Origin origin, Object future, Throwable exception) {
			super(future, origin.detector.queue);
			this.origin = origin;
			this.exception = exception;
		}

		/**
		 * The failure was observed: stop watching, so that collection reports nothing. Idempotent.
		 * <p>Unlinking is enough: a tracker nothing reaches is never queued by the garbage
		 * collector, and one that is queued anyway (the future still held it) is reported only if
		 * it was still linked. {@code clear()} is not called: before JDK 23 it is a native call,
		 * the dearest step of an observed failure.
		 */
		public void observed() {
			unlink();
		}

		boolean unlink() {
			return this.origin.detector.unlink(this);
		}

		@Nullable Throwable creationSite() {
			return null;
		}

		UnobservedFailure failure() {
			String description = this.origin.label + "(failed: " + Describe.exception(this.exception) + ")";
			return new UnobservedFailure(this.exception, this.origin.source, description, creationSite());
		}

	}

	/** A tracker at level {@code TRACED}: also where the future was created. */
	private static final class TracedTracker extends Tracker {

		private final Throwable creationSite;

		TracedTracker(Origin origin, Object future, Throwable exception, Throwable creationSite) {
			super(origin, future, exception);
			this.creationSite = creationSite;
		}

		@Override
		Throwable creationSite() {
			return this.creationSite;
		}

	}

	/** Where failures come from (a loop, or the source and label of Eddy's CompletableFutures), shared by their trackers. */
	private static final class Origin {

		final UnobservedFailureDetector detector;

		final String source;

		final String label;

		Origin(UnobservedFailureDetector detector, String source, String label) {
			this.detector = detector;
			this.source = source;
			this.label = label;
		}

	}

	/** Stack trace of where a future was created (level {@code TRACED}). */
	static final class CreationSite extends Throwable {

		private static final long serialVersionUID = 1L;

		CreationSite() {
			super("future created here", null, false, true);
		}

	}

	/**
	 * The logged exception at level {@code TRACED}: the failure, with its own stack trace, as
	 * suppressed, and the creation site as cause, so the log shows both where it threw and where
	 * the future was created (as asyncio's debug mode does).
	 */
	static final class CreationSiteReport extends Throwable {

		private static final long serialVersionUID = 1L;

		CreationSiteReport(Throwable failure, Throwable creationSite) {
			super("unobserved failure " + Describe.exception(failure) + " (shown as suppressed); cause: where the future was created",
					creationSite, true, false);
			addSuppressed(failure);
		}

	}

}
