package dev.eddy.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import dev.eddy.loop.ScheduledCallback;

/**
 * A callback due at a point of {@link System#nanoTime()}, held in the loop's timer heap.
 * <p>Thread-safe: {@link #cancel()} may race with the loop starting it; exactly one wins.
 */
final class TimerTask implements ScheduledCallback, Comparable<TimerTask> {

	private static final int WAITING = 0;

	private static final int STARTED = 1;

	private static final int CANCELLED = 2;

	private static final VarHandle STATE;

	static {
		try {
			STATE = MethodHandles.lookup().findVarHandle(TimerTask.class, "state", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	final long deadline;

	final long sequence;

	final Runnable callback;

	private final java.util.concurrent.atomic.AtomicInteger cancellations;

	@SuppressWarnings("unused") // through STATE
	private volatile int state;

	TimerTask(long deadline, long sequence, Runnable callback, java.util.concurrent.atomic.AtomicInteger cancellations) {
		this.deadline = deadline;
		this.sequence = sequence;
		this.callback = callback;
		this.cancellations = cancellations;
	}

	@Override
	public boolean cancel() {
		if (STATE.compareAndSet(this, WAITING, CANCELLED)) {
			this.cancellations.incrementAndGet(); // lets the loop purge its heap
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
		return STATE.compareAndSet(this, WAITING, STARTED);
	}

	@Override
	public int compareTo(TimerTask other) {
		int byTime = Long.compare(this.deadline - other.deadline, 0);
		return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
	}

	@Override
	public String toString() {
		return "ScheduledCallback[" + ((this.state == CANCELLED) ? "cancelled" : (this.state == STARTED) ? "started" : "waiting")
				+ "](" + this.callback + ")";
	}

}
