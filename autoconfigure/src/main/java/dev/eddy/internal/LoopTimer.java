package dev.eddy.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import dev.eddy.loop.ScheduledCallback;

/**
 * One callback due at a point of {@link System#nanoTime()}, held in a loop's {@link LoopTimers}
 * heap: the {@link ScheduledCallback} that {@code callLater} returns.
 * <p>Thread-safe: {@link #cancel()} may race with the loop starting it; exactly one wins.
 */
final class LoopTimer implements ScheduledCallback, Comparable<LoopTimer> {

	private static final int WAITING = 0;

	private static final int STARTED = 1;

	private static final int CANCELLED = 2;

	private static final VarHandle STATE;

	static {
		try {
			STATE = MethodHandles.lookup().findVarHandle(LoopTimer.class, "state", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	final long deadline;

	final long sequence;

	final Runnable callback;

	/** Told once when the timer leaves the count of pending timers: started or cancelled. */
	private final LoopTimers timers;

	@SuppressWarnings("unused") // through STATE
	private volatile int state;

	LoopTimer(long deadline, long sequence, Runnable callback, LoopTimers timers) {
		this.deadline = deadline;
		this.sequence = sequence;
		this.callback = callback;
		this.timers = timers;
	}

	@Override
	public boolean cancel() {
		if (STATE.compareAndSet(this, WAITING, CANCELLED)) {
			this.timers.released(true);
			return true;
		}
		return false;
	}

	@Override
	public boolean cancelled() {
		return this.state == CANCELLED;
	}

	/** @return whether the loop may run it: it was neither cancelled nor started before */
	boolean start() {
		if (STATE.compareAndSet(this, WAITING, STARTED)) {
			this.timers.released(false);
			return true;
		}
		return false;
	}

	@Override
	public int compareTo(LoopTimer other) {
		int byTime = Long.compare(this.deadline - other.deadline, 0);
		return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
	}

	@Override
	public String toString() {
		return "ScheduledCallback[" + ((this.state == CANCELLED) ? "cancelled" : (this.state == STARTED) ? "started" : "waiting")
				+ "](" + Describe.value(this.callback) + ")";
	}

}
