package dev.eddy.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

import dev.eddy.loop.LoopStatistics;
import org.jspecify.annotations.Nullable;

/**
 * The counters behind one loop's {@link LoopStatistics}. The per-callback counters (succeeded,
 * failed, slow, progress, busy) are written by the loop thread only, with opaque stores, and read
 * anywhere with opaque loads: no fence on the hot path, and a reader never sees a torn value.
 * Counters any thread bumps (rejected, wake-ups, blocked episodes) are atomics. The two figures
 * that are state rather than counts ({@link #pending()}, {@link #alive()}) are asked of the loop.
 * <p>Thread-safe for reading; the {@code count...} methods without an atomic are for the loop
 * thread only, as each says.
 */
final class LoopCounters implements LoopStatistics {

	private static final VarHandle SUCCEEDED;

	private static final VarHandle FAILED;

	private static final VarHandle SLOW;

	private static final VarHandle PROGRESS;

	private static final VarHandle BUSY;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			SUCCEEDED = lookup.findVarHandle(LoopCounters.class, "succeeded", long.class);
			FAILED = lookup.findVarHandle(LoopCounters.class, "failed", long.class);
			SLOW = lookup.findVarHandle(LoopCounters.class, "slow", long.class);
			PROGRESS = lookup.findVarHandle(LoopCounters.class, "progress", long.class);
			BUSY = lookup.findVarHandle(LoopCounters.class, "busy", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final DefaultEventLoop loop;

	private final AtomicLong rejected = new AtomicLong();

	private final AtomicLong wakeups = new AtomicLong();

	private final AtomicLong blockedEpisodes = new AtomicLong();

	private volatile boolean blockedNow;

	// Written by the loop thread only (opaque stores); read anywhere (opaque loads).
	@SuppressWarnings("unused")
	private long succeeded;

	@SuppressWarnings("unused")
	private long failed;

	@SuppressWarnings("unused")
	private long slow;

	@SuppressWarnings("unused")
	private long progress;

	@SuppressWarnings("unused")
	private boolean busy;

	LoopCounters(DefaultEventLoop loop) {
		this.loop = loop;
	}

	// ---------------------------------------------------------------- writes

	/** A callback is about to run. Loop thread only. */
	void countStarted() {
		PROGRESS.setOpaque(this, (long) PROGRESS.getOpaque(this) + 1);
	}

	/** A callback returned. Loop thread only. */
	void countSucceeded() {
		SUCCEEDED.setOpaque(this, (long) SUCCEEDED.getOpaque(this) + 1);
	}

	/** A callback threw. Loop thread only. */
	void countFailed() {
		FAILED.setOpaque(this, (long) FAILED.getOpaque(this) + 1);
	}

	/** A callback ran past the slow-callback threshold. Loop thread only. */
	void countSlow() {
		SLOW.setOpaque(this, (long) SLOW.getOpaque(this) + 1);
	}

	/** Whether the loop is inside an iteration (the watchdog's second signal). Loop thread only. */
	void busy(boolean busy) {
		BUSY.setOpaque(this, busy);
	}

	/** Work was refused or dropped; any thread. */
	void countRejected() {
		this.rejected.incrementAndGet();
	}

	/** {@code count} callbacks were dropped unrun; any thread. */
	void countRejected(int count) {
		this.rejected.addAndGet(count);
	}

	/** A producer unparked the sleeping loop; any thread. */
	void countWakeup() {
		this.wakeups.incrementAndGet();
	}

	/** The watchdog found the loop stuck in one callback. Watchdog thread. */
	void blockedEpisodeStarted() {
		this.blockedEpisodes.incrementAndGet();
		this.blockedNow = true;
	}

	/** The watchdog found the loop moving again. Watchdog thread. */
	void blockedEpisodeEnded() {
		this.blockedNow = false;
	}

	// ---------------------------------------------------------------- LoopStatistics

	@Override
	public long callbacksSucceeded() {
		return (long) SUCCEEDED.getOpaque(this);
	}

	@Override
	public long callbacksFailed() {
		return (long) FAILED.getOpaque(this);
	}

	@Override
	public long callbacksRejected() {
		return this.rejected.get();
	}

	@Override
	public long wakeups() {
		return this.wakeups.get();
	}

	@Override
	public long slowCallbacks() {
		return (long) SLOW.getOpaque(this);
	}

	@Override
	public int pending() {
		return this.loop.pendingCount();
	}

	@Override
	public long progress() {
		return (long) PROGRESS.getOpaque(this);
	}

	@Override
	public boolean busy() {
		return (boolean) BUSY.getOpaque(this);
	}

	@Override
	public long blockedEpisodes() {
		return this.blockedEpisodes.get();
	}

	@Override
	public boolean blocked() {
		return this.blockedNow;
	}

	@Override
	public boolean alive() {
		return this.loop.alive();
	}

	@Override
	public @Nullable String terminationCause() {
		return this.loop.terminationCause();
	}

	@Override
	public String toString() {
		return "LoopStatistics[" + this.loop.name + "]";
	}

}
