package dev.eddy.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.eddy.loop.EventLoop;
import dev.eddy.loop.EventLoopFullException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The slot bookkeeping and the sleep flag of {@link LoopInbox}, on an {@code onCurrentThread}
 * loop of capacity 4 driven by the test: each kind of delivery takes or gives back exactly the
 * slots the class comment says, from another thread and on the loop thread, open and closed, so
 * that no capacity is lost or made up later; and a producer unparks (and counts a wake-up) only
 * while the loop announced that it sleeps.
 */
class LoopInboxSlotsTests {

	private static final int CAPACITY = 4;

	private final DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("slots")
		.queueCapacity(CAPACITY)
		.drainTimeout(Duration.ofMillis(100))
		.onCurrentThread();

	private final LoopInbox inbox = this.loop.inbox;

	private final List<String> ran = new ArrayList<>();

	@AfterEach
	void close() {
		this.loop.close();
		LockSupport.parkNanos(1); // an unpark of this (the owner) thread by a test must not leak into the next test
	}

	/**
	 * How many slots are free now: reserves until the loop is full, then gives them all back.
	 */
	private int freeSlots() {
		int free = 0;
		try {
			while (free <= 2 * CAPACITY) {
				this.inbox.reserve("probe");
				free++;
			}
		}
		catch (EventLoopFullException ex) {
			// full: free counts what was left
		}
		for (int i = 0; i < free; i++) {
			this.inbox.releaseSlot();
		}
		return free;
	}

	private Runnable task(String name) {
		return () -> this.ran.add(name);
	}

	/** Runs {@code action} on a thread that is not the loop's owner and returns what it returned. */
	private static boolean fromAnotherThread(java.util.function.BooleanSupplier action) throws InterruptedException {
		AtomicReference<Boolean> result = new AtomicReference<>();
		Thread thread = new Thread(() -> result.set(action.getAsBoolean()), "producer");
		thread.setDaemon(true);
		thread.start();
		thread.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(thread.isAlive()).isFalse();
		assertThat(result.get()).as("the producer's delivery returned").isNotNull();
		return result.get();
	}

	@Test
	@DisplayName("a delivery from another thread that completes accepted work (UNBOUNDED) takes a slot until the loop drains it")
	void unboundedFromAnotherThread_takesASlotUntilDrained() throws InterruptedException {
		assertThat(freeSlots()).isEqualTo(CAPACITY);
		assertThat(fromAnotherThread(() -> this.inbox.deliver(task("unbounded"), LoopInbox.UNBOUNDED))).isTrue();
		assertThat(freeSlots()).as("the queued delivery holds one slot").isEqualTo(CAPACITY - 1);
		assertThat(this.loop.runOnce()).isEqualTo(1);
		assertThat(this.ran).containsExactly("unbounded");
		assertThat(freeSlots()).as("drained: the slot is free again, no more, no less").isEqualTo(CAPACITY);
	}

	@Test
	@DisplayName("UNBOUNDED from another thread is never refused, even when the loop is full; draining frees exactly what it took")
	void unboundedFromAnotherThread_neverRefused() throws InterruptedException {
		for (int i = 0; i < CAPACITY; i++) {
			this.inbox.reserve("held");
		}
		assertThat(fromAnotherThread(() -> this.inbox.deliver(task("over"), LoopInbox.UNBOUNDED))).isTrue();
		assertThat(freeSlots()).isZero();
		assertThat(this.loop.runOnce()).isEqualTo(1);
		assertThat(this.ran).containsExactly("over");
		assertThat(freeSlots()).as("the delivery's slot is free again; the four held ones are not").isZero();
		for (int i = 0; i < CAPACITY; i++) {
			this.inbox.releaseSlot();
		}
		assertThat(freeSlots()).isEqualTo(CAPACITY);
	}

	@Test
	@DisplayName("a delivery into a reserved slot (addFuture of a stage) from another thread takes no second slot; draining frees the one")
	void reservedFromAnotherThread_usesItsSlot() throws InterruptedException {
		this.inbox.reserve("registration");
		assertThat(freeSlots()).isEqualTo(CAPACITY - 1);
		assertThat(fromAnotherThread(() -> this.inbox.deliver(task("reserved"), LoopInbox.RESERVED))).isTrue();
		assertThat(freeSlots()).as("still the one slot the registration reserved").isEqualTo(CAPACITY - 1);
		assertThat(this.loop.runOnce()).isEqualTo(1);
		assertThat(this.ran).containsExactly("reserved");
		assertThat(freeSlots()).isEqualTo(CAPACITY);
	}

	@Test
	@DisplayName("a delivery into a reserved slot on the loop thread goes to the ready queue and frees the slot at once")
	void reservedOnTheLoopThread_freesItsSlotAtOnce() {
		this.inbox.reserve("registration");
		assertThat(this.inbox.deliver(task("reserved"), LoopInbox.RESERVED)).isTrue();
		assertThat(this.inbox.isEmpty()).as("straight into the ready queue").isTrue();
		assertThat(freeSlots()).as("the ready queue holds no slot").isEqualTo(CAPACITY);
		assertThat(this.loop.runOnce()).isEqualTo(1);
		assertThat(this.ran).containsExactly("reserved");
		assertThat(freeSlots()).isEqualTo(CAPACITY);
	}

	@Test
	@DisplayName("UNBOUNDED on the loop thread goes to the ready queue and neither takes nor frees a slot")
	void unboundedOnTheLoopThread_takesNoSlot() {
		assertThat(this.inbox.deliver(task("local"), LoopInbox.UNBOUNDED)).isTrue();
		assertThat(this.inbox.isEmpty()).isTrue();
		assertThat(freeSlots()).isEqualTo(CAPACITY);
		assertThat(this.loop.runOnce()).isEqualTo(1);
		assertThat(this.ran).containsExactly("local");
		assertThat(freeSlots()).isEqualTo(CAPACITY);
	}

	@Test
	@DisplayName("BOUNDED from another thread takes a slot, and is refused once the loop is full, holding no slot then")
	void boundedFromAnotherThread_takesASlotOrIsRefused() throws InterruptedException {
		assertThat(fromAnotherThread(() -> this.inbox.deliver(task("bounded"), LoopInbox.BOUNDED))).isTrue();
		assertThat(freeSlots()).isEqualTo(CAPACITY - 1);
		for (int i = 0; i < CAPACITY - 1; i++) {
			this.inbox.reserve("held");
		}
		long rejected = this.loop.statistics().callbacksRejected();
		assertThat(fromAnotherThread(() -> {
			try {
				this.inbox.deliver(task("refused"), LoopInbox.BOUNDED);
				return false;
			}
			catch (EventLoopFullException ex) {
				return ex.getMessage().startsWith("EventLoop 'slots' is full: 4 callbacks queued by other threads");
			}
		})).as("refused as full").isTrue();
		assertThat(this.loop.statistics().callbacksRejected()).isEqualTo(rejected + 1);
		assertThat(this.inbox.size()).isEqualTo(1);
		assertThat(this.loop.runOnce()).isEqualTo(1);
		assertThat(this.ran).containsExactly("bounded");
		for (int i = 0; i < CAPACITY - 1; i++) {
			this.inbox.releaseSlot();
		}
		assertThat(freeSlots()).isEqualTo(CAPACITY);
	}

	@Test
	@DisplayName("a delivery into a reserved slot of a closed loop is refused and gives its slot back")
	void reservedToAClosedLoop_givesItsSlotBack() {
		this.inbox.reserve("registration");
		this.loop.close();
		assertThat(freeSlots()).isEqualTo(CAPACITY - 1);
		long rejected = this.loop.statistics().callbacksRejected();
		assertThat(this.inbox.deliver(task("late"), LoopInbox.RESERVED)).isFalse();
		assertThat(this.loop.statistics().callbacksRejected()).isEqualTo(rejected + 1);
		assertThat(freeSlots()).isEqualTo(CAPACITY);
		assertThat(this.ran).isEmpty();
	}

	@Test
	@DisplayName("an UNBOUNDED delivery to a closed loop is refused and frees no slot it never took")
	void unboundedToAClosedLoop_freesNothing() throws InterruptedException {
		this.loop.close();
		assertThat(this.inbox.deliver(task("late"), LoopInbox.UNBOUNDED)).isFalse();
		assertThat(fromAnotherThread(() -> this.inbox.deliver(task("late too"), LoopInbox.UNBOUNDED))).isFalse();
		assertThat(freeSlots()).isEqualTo(CAPACITY);
		assertThat(this.ran).isEmpty();
	}

	@Test
	@DisplayName("tryQueue on a full loop fails the caller's future with the full-loop exception and reports it as handled (true)")
	void tryQueueOnAFullLoop_failsTheFuture() throws InterruptedException {
		for (int i = 0; i < CAPACITY; i++) {
			this.inbox.reserve("held");
		}
		java.util.concurrent.CompletableFuture<Object> failOnFull = new java.util.concurrent.CompletableFuture<>();
		assertThat(fromAnotherThread(() -> this.inbox.tryQueue(task("refused"), failOnFull))).isTrue();
		assertThat(failOnFull).isCompletedExceptionally();
		assertThatThrownBy(failOnFull::join).hasCauseInstanceOf(EventLoopFullException.class);
		assertThat(this.inbox.isEmpty()).isTrue();
		for (int i = 0; i < CAPACITY; i++) {
			this.inbox.releaseSlot();
		}
		assertThat(freeSlots()).isEqualTo(CAPACITY);
	}

	@Test
	@DisplayName("a timer insertion in the inbox holds no slot of its own: draining it frees nothing")
	void drainingATimerInsertion_freesNothing() throws InterruptedException {
		AtomicReference<Object> timer = new AtomicReference<>();
		assertThat(fromAnotherThread(() -> {
			timer.set(this.loop.callLater(Duration.ofHours(1), task("timer")));
			return true;
		})).isTrue();
		assertThat(freeSlots()).as("the pending timer holds one slot").isEqualTo(CAPACITY - 1);
		this.loop.runOnce();
		assertThat(freeSlots()).as("still pending: its slot is still held").isEqualTo(CAPACITY - 1);
		assertThat(this.ran).isEmpty();
	}

	// ---------------------------------------------------------------- sleep flag

	@Test
	@DisplayName("announceSleep() tells whether the queue is still empty after the announcement")
	void announceSleep_reChecksTheQueue() {
		assertThat(this.inbox.announceSleep()).isTrue();
		this.inbox.awake();
		this.inbox.reserve("entry");
		this.inbox.offer(task("queued"));
		assertThat(this.inbox.announceSleep()).as("work is queued: do not park").isFalse();
		this.inbox.awake();
	}

	@Test
	@DisplayName("while the loop announced that it sleeps, the first producer counts one wake-up and the flag is cleared for the next")
	void wakeUp_onlyWhileAnnouncedAsleep() {
		long before = this.loop.counters.wakeups();
		this.inbox.wakeUp();
		assertThat(this.loop.counters.wakeups()).as("awake: no unpark").isEqualTo(before);
		assertThat(this.inbox.announceSleep()).isTrue();
		this.inbox.wakeUp();
		assertThat(this.loop.counters.wakeups()).isEqualTo(before + 1);
		this.inbox.wakeUp();
		assertThat(this.loop.counters.wakeups()).as("the first wake-up cleared the flag").isEqualTo(before + 1);
	}

	@Test
	@DisplayName("awake() clears the sleep flag: a loop that woke by itself (a timer) is not unparked, nor counted, by the next producer")
	void awake_clearsTheFlag() {
		long before = this.loop.counters.wakeups();
		assertThat(this.inbox.announceSleep()).isTrue();
		this.inbox.awake();
		this.inbox.wakeUp();
		assertThat(this.loop.counters.wakeups()).isEqualTo(before);
	}

	@Test
	@DisplayName("a producer's offer to a loop that announced its sleep wakes it once: wakeups() counts it")
	void offer_wakesASleepingLoop() throws InterruptedException {
		long before = this.loop.counters.wakeups();
		assertThat(this.inbox.announceSleep()).isTrue();
		assertThat(fromAnotherThread(() -> {
			this.loop.execute(task("woken"));
			this.loop.execute(task("again"));
			return true;
		})).isTrue();
		assertThat(this.loop.counters.wakeups()).isEqualTo(before + 1);
		this.inbox.awake();
		assertThat(this.loop.runOnce()).isEqualTo(2);
		assertThat(this.ran).containsExactly("woken", "again");
	}

}
