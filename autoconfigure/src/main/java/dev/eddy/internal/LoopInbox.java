package dev.eddy.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.eddy.loop.EventLoopClosedException;
import dev.eddy.loop.EventLoopFullException;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;
import org.jspecify.annotations.Nullable;

/**
 * How other threads reach one loop: the multi-producer queue the loop thread drains, the slots
 * of {@code eddy.loop.queue-capacity} it is bounded by, and the sleep/wake-up hand-off. A
 * producer publishes, then reads the sleep flag; the loop sets the flag, then re-checks the
 * queue; both with full fences, so no wake-up is lost (a Dekker-style hand-off), and a producer
 * unparks the loop only when it announced that it sleeps.
 * <p>The capacity counts callbacks in the queue (every entry except a timer insertion) plus
 * timers neither started nor cancelled: a producer reserves a slot before it offers, the loop
 * releases the slots of what it took once per iteration, and a timer releases its own when it
 * starts or is cancelled.
 * <p>What is bounded, and why the rest is not. New work another thread gives the loop takes a
 * slot or is refused ({@code EventLoopFullException}, or a failed future from a future-returning
 * entry point): {@code execute}, {@code callLater}, {@code submit}, {@code runSync},
 * {@code toCompletableFuture()} (the view fails, {@link #tryQueue}),
 * {@code addFuture} of a loop future (queued on the future's loop) and of a
 * {@code CompletionStage} (its slot held from the registration until the callback is queued, so
 * that a delivery is never refused). Work that completes what was already accepted takes a slot
 * but is never refused ({@link #deliver} with {@link #UNBOUNDED}), since refusing it midway would lose accepted
 * work: a hand-off's completion (at most one per {@code runInExecutor}, {@code @RunOnExecutor}
 * call, {@code fromCallback} or {@code chain}, each of them bounded where its work waits: by the
 * pool's queue, or by the caller's own future), the copy of a completed source into another
 * loop's future, and the cancellation of a timed-out {@code runSync}.
 * <p>Thread-safe: {@link #deliver}, {@link #tryQueue}, {@link #offer}, {@link #reserve},
 * {@link #wakeUp} and {@link #disposeLeftovers} from any thread; {@link #drainTo}, {@link #announceSleep} and
 * {@link #awake} on the loop thread only.
 */
final class LoopInbox {

	/** The property that bounds the loop, named in every {@link EventLoopFullException}. */
	static final String CAPACITY_KEY = "eddy.loop.queue-capacity";

	private static final int AWAKE = 0;

	private static final int SLEEPING = 1;

	private static final VarHandle SLEEP_STATE;

	static {
		try {
			SLEEP_STATE = MethodHandles.lookup().findVarHandle(LoopInbox.class, "sleepState", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final DefaultEventLoop loop;

	private final LoopCounters counters;

	/** Most callbacks queued by other threads plus pending timers ({@value #CAPACITY_KEY}). */
	private final int capacity;

	/** What {@link #capacity} bounds; see the class comment. */
	private final AtomicInteger occupancy = new AtomicInteger();

	/**
	 * Many producers, the loop thread consumes. JCTools' atomic variant (field updaters and
	 * atomic arrays, no sun.misc.Unsafe, so no JDK 24+ warning); its family has a bounded one,
	 * MpscChunkedAtomicArrayQueue.
	 */
	private final MpscUnboundedAtomicArrayQueue<Object> queue = new MpscUnboundedAtomicArrayQueue<>(1024);

	/** After close, whoever finds work left in the queue disposes of it, one thread at a time. */
	private final Object leftoverLock = new Object();

	/**
	 * The queue's producer index when {@link #drainTo} last emptied it: while it has not moved,
	 * nothing was offered since, and the drain costs one volatile load instead of a poll (five
	 * loads over three cache lines, a tenth of a one-callback iteration in JFR). Loop thread only.
	 */
	private long drainedUpTo;

	@SuppressWarnings("unused") // through SLEEP_STATE
	private volatile int sleepState;

	LoopInbox(DefaultEventLoop loop, LoopCounters counters, int capacity) {
		this.loop = loop;
		this.counters = counters;
		this.capacity = capacity;
	}

	/**
	 * Takes one slot of the capacity, or refuses.
	 * @param describedAs what the message names
	 * @throws EventLoopFullException when the loop is full; counted as rejected
	 */
	void reserve(Object describedAs) {
		if (this.occupancy.incrementAndGet() > this.capacity) {
			this.occupancy.decrementAndGet();
			this.counters.countRejected();
			throw full(describedAs);
		}
	}

	private EventLoopFullException full(Object describedAs) {
		String name = this.loop.name;
		return new EventLoopFullException("EventLoop '" + name + "' is full: " + this.capacity
				+ " callbacks queued by other threads and pending timers ('" + CAPACITY_KEY + "' is " + this.capacity
				+ "); rejected " + Describe.value(describedAs) + "; slow the producers down, or raise '" + CAPACITY_KEY
				+ "' (EventLoopBuilder.queueCapacity)");
	}

	/** A pending timer started or was cancelled: its slot is free. */
	void releaseSlot() {
		this.occupancy.decrementAndGet();
	}

	/**
	 * Queues an entry whose slot the caller reserved ({@link #reserve}), or a timer insertion
	 * (whose timer holds the slot), and wakes the loop.
	 * @param entry the entry
	 */
	void offer(Object entry) {
		this.queue.offer(entry);
		wakeUp();
	}

	/**
	 * Queues work that completes something already accepted: it takes a slot but is never
	 * refused (the loop's own scheduling is never refused midway).
	 * @param task the task
	 */
	void offerUnbounded(Runnable task) {
		this.occupancy.incrementAndGet();
		offer(task);
	}

	/** A delivery that takes a slot of the capacity but is never refused: it completes accepted work. */
	static final int UNBOUNDED = 0;

	/** A delivery into the slot reserved when the work was accepted ({@code addFuture} of a stage). */
	static final int RESERVED = 1;

	/** New work: takes a slot, or throws {@link EventLoopFullException}. */
	static final int BOUNDED = 2;

	/**
	 * New work from another thread that reports through a future of its own
	 * ({@code toCompletableFuture()}): bounded by the capacity like {@code execute}, and, like a
	 * delivery, accepted while the loop drains.
	 * @param task the task
	 * @param failOnFull completed with the {@link EventLoopFullException} when the loop is full
	 * (counted as rejected)
	 * @return false when the loop is closed and the task was not queued: the caller tells its
	 * future; true when it was queued, or refused as full and {@code failOnFull} failed
	 */
	boolean tryQueue(Runnable task, CompletableFuture<?> failOnFull) {
		try {
			return deliver(task, BOUNDED);
		}
		catch (EventLoopFullException ex) {
			failOnFull.completeExceptionally(ex); // a future-returning entry point reports a full loop through its future
			return true;
		}
	}

	/**
	 * Queues a task from any thread unless the loop is closed: on the loop thread straight into
	 * the ready queue, from another thread through this inbox.
	 * @param task the task
	 * @param slot {@link #UNBOUNDED}, {@link #RESERVED} or {@link #BOUNDED}
	 * @return whether it was queued; when not, it was counted and logged as rejected
	 * @throws EventLoopFullException for {@link #BOUNDED} when the loop is full
	 */
	boolean deliver(Runnable task, int slot) {
		DefaultEventLoop loop = this.loop;
		boolean reserved = slot == RESERVED;
		if (loop.lifecycle != DefaultEventLoop.CLOSED && !loop.ownerDied()) {
			if (Thread.currentThread() == loop.owner()) {
				if (reserved) {
					releaseSlot(); // the ready queue holds no slots
				}
				loop.ready.add(task);
				return true;
			}
			if (slot == UNBOUNDED) {
				offerUnbounded(task); // counted, never refused: it completes accepted work
			}
			else {
				if (slot == BOUNDED) {
					reserve(task);
				}
				offer(task);
			}
			if (loop.lifecycle != DefaultEventLoop.CLOSED || !disposeLeftovers(task)) {
				return true;
			}
		}
		else if (reserved) {
			releaseSlot();
		}
		this.counters.countRejected();
		loop.callbackErrors.error("closed:" + loop.name, "EventLoop '" + loop.name + "' is closed; dropped callback "
				+ Describe.value(task) + " that completes work started before the close",
				new EventLoopClosedException("EventLoop '" + loop.name + "' is closed"));
		return false;
	}

	/**
	 * Moves everything queued to the ready queue and frees the slots of what it moved (a timer
	 * keeps its slot until it starts or is cancelled). Loop thread only.
	 * @param ready the loop's ready queue
	 */
	void drainTo(ReadyQueue ready) {
		// Read before polling: an entry offered after this read moves the index again, so the next
		// drain polls for it (an offer whose index moved but whose entry is not yet visible is
		// waited for inside poll()).
		long produced = this.queue.currentProducerIndex();
		if (produced == this.drainedUpTo) {
			return;
		}
		Object entry;
		int taken = 0;
		try {
			while ((entry = this.queue.poll()) != null) {
				if (!(entry instanceof LoopTimers.Insertion)) {
					taken++;
				}
				ready.add(entry);
			}
		}
		finally {
			if (taken > 0) {
				this.occupancy.addAndGet(-taken);
			}
		}
		this.drainedUpTo = produced; // only once emptied: a drain cut short by a throw polls again next time
	}

	boolean isEmpty() {
		return this.queue.isEmpty();
	}

	int size() {
		return this.queue.size();
	}

	/**
	 * Disposes of what is left once the loop is closed: a {@link Rejectable}
	 * entry is told, anything else is counted as rejected and logged. Any thread may call it; the
	 * lock keeps the queue single-consumer.
	 * @param mine an entry of the caller's, which is not disposed of but reported back
	 * @return whether {@code mine} was still queued
	 */
	boolean disposeLeftovers(@Nullable Object mine) {
		boolean found = false;
		int dropped = 0;
		synchronized (this.leftoverLock) {
			Object entry;
			while ((entry = this.queue.poll()) != null) {
				if (!(entry instanceof LoopTimers.Insertion)) {
					this.occupancy.decrementAndGet(); // a timer's slot is released by its cancel()
				}
				if (entry == mine) {
					found = true;
				}
				else if (!this.loop.dispose(entry)) {
					dropped++;
				}
			}
		}
		if (dropped > 0) {
			this.counters.countRejected(dropped);
			DefaultEventLoop.logger.error("EventLoop '{}' is closed; {} callback(s) queued around the close never ran and were "
					+ "counted as rejected", this.loop.name, dropped);
		}
		return found;
	}

	// ---------------------------------------------------------------- sleep and wake-up

	/** Unparks the loop if it announced that it sleeps; any thread. */
	void wakeUp() {
		if ((int) SLEEP_STATE.getVolatile(this) == SLEEPING && SLEEP_STATE.compareAndSet(this, SLEEPING, AWAKE)) {
			this.counters.countWakeup();
			LockSupport.unpark(this.loop.owner());
		}
	}

	/**
	 * Announces that the loop is about to park. The caller then re-checks for work (this
	 * queue, and whatever else wakes it) and calls {@link #awake()} either way. Loop thread only.
	 * @return whether the queue is still empty after the announcement
	 */
	boolean announceSleep() {
		SLEEP_STATE.setVolatile(this, SLEEPING);
		return this.queue.isEmpty();
	}

	/** The loop is awake again (or did not park after all). Loop thread only. */
	void awake() {
		SLEEP_STATE.setVolatile(this, AWAKE);
	}

}
