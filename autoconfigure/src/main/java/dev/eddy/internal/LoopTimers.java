package dev.eddy.internal;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One loop's timers (Netty's {@code AbstractScheduledEventExecutor}): the heap ordered by
 * deadline then insertion, insertion from the loop thread and from others, the purge of
 * cancelled timers, the move of due timers to the ready queue, and cancel-all at close. Each
 * pending timer holds a slot of the loop's capacity ({@link LoopInbox}) until it starts or is
 * cancelled.
 * <p>Loop-confined (the heap and the loop-side sequence), except {@link #newTimer} from other
 * threads, {@link #released} (a {@code cancel()} may come from any thread) and the timers
 * themselves.
 */
final class LoopTimers {

	/** Purge when more than this many timers wait cancelled in the heap, and over half of it. */
	private static final int PURGE_THRESHOLD = 64;

	/** What {@link #nanosUntilNext()} returns without timers; no deadline is that far ({@link DefaultEventLoop#MAX_NANOS}). */
	static final long NONE = Long.MAX_VALUE;

	private final DefaultEventLoop loop;

	private final LoopInbox inbox;

	private final PriorityQueue<LoopTimer> heap = new PriorityQueue<>(); // loop thread only

	private long sequence; // loop thread only

	/** Sequence numbers of timers made on other threads: below the loop's, so equal deadlines keep FIFO per side. */
	private final AtomicLong sequenceOffLoop = new AtomicLong(Long.MIN_VALUE / 2);

	/** Timers cancelled since the last purge of the heap; cancel() may come from any thread. */
	private final AtomicInteger cancelled = new AtomicInteger();

	LoopTimers(DefaultEventLoop loop, LoopInbox inbox) {
		this.loop = loop;
		this.inbox = inbox;
	}

	/**
	 * Makes a timer whose slot the caller reserved; on the loop thread it is in the heap at once,
	 * from another thread the caller queues {@link #insertion} of it.
	 * @param deadline its {@link System#nanoTime()} point
	 * @param task what runs
	 * @param onLoop whether the caller is the loop thread
	 * @return the timer
	 */
	LoopTimer newTimer(long deadline, Runnable task, boolean onLoop) {
		if (onLoop) {
			LoopTimer timer = new LoopTimer(deadline, this.sequence++, task, this);
			this.heap.add(timer);
			return timer;
		}
		return new LoopTimer(deadline, this.sequenceOffLoop.incrementAndGet(), task, this);
	}

	/**
	 * @param timer a timer made off the loop
	 * @return the inbox entry that adds it to the heap on the loop thread
	 */
	Insertion insertion(LoopTimer timer) {
		return new Insertion(timer);
	}

	/** A timer left the count of pending timers: it started or was cancelled (exactly once per timer). */
	void released(boolean byCancel) {
		this.inbox.releaseSlot();
		if (byCancel) {
			this.cancelled.incrementAndGet(); // lets the loop purge its heap
		}
	}

	boolean isEmpty() {
		return this.heap.isEmpty();
	}

	/**
	 * Purges cancelled timers when they are many, then moves the due ones to the ready queue,
	 * where they start when their turn comes (so that a cancel() before then wins). Loop thread only.
	 * @param ready the loop's ready queue
	 */
	void moveDue(ReadyQueue ready) {
		if (this.heap.isEmpty()) {
			return;
		}
		purgeCancelled();
		long now = System.nanoTime();
		LoopTimer timer;
		while ((timer = this.heap.peek()) != null && (timer.deadline - now <= 0 || timer.cancelled())) {
			this.heap.poll();
			if (!timer.cancelled()) {
				ready.add(timer);
			}
		}
	}

	/** Cancelled timers wait in the heap until due; purge them when they are many, as asyncio does. */
	private void purgeCancelled() {
		int count = this.cancelled.get();
		if (count > PURGE_THRESHOLD && count > this.heap.size() / 2) {
			this.cancelled.addAndGet(-count);
			this.heap.removeIf(LoopTimer::cancelled);
		}
	}

	/**
	 * @return nanoseconds until the first timer is due (zero or less when it is), or
	 * {@link #NONE} when there is none
	 */
	long nanosUntilNext() {
		LoopTimer next = this.heap.peek();
		return (next != null) ? next.deadline - System.nanoTime() : NONE;
	}

	/**
	 * Cancels every timer in the heap, at close. Loop thread only.
	 * @param log whether to log how many were cancelled
	 */
	void cancelAll(boolean log) {
		int count = 0;
		LoopTimer timer;
		while ((timer = this.heap.poll()) != null) {
			if (timer.cancel()) {
				count++;
			}
		}
		this.cancelled.set(0);
		if (log && count > 0) {
			DefaultEventLoop.logger.info("EventLoop '{}' cancelled {} scheduled callback(s) that were not due when it closed",
					this.loop.name, count);
		}
	}

	/** Adds a timer queued by another thread. */
	final class Insertion extends DefaultEventLoop.LoopInternal implements Rejectable {

		private final LoopTimer timer;

		Insertion(LoopTimer timer) {
			this.timer = timer;
		}

		@Override
		public void run() {
			LoopTimers.this.heap.add(this.timer);
		}

		@Override
		public void rejectedByClosedLoop() {
			this.timer.cancel();
		}

		@Override
		public String toString() {
			return "insert " + this.timer;
		}

	}

}
