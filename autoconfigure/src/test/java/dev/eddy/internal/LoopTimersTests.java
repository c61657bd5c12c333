package dev.eddy.internal;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

import ch.qos.logback.classic.Level;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.EventLoopFullException;
import dev.eddy.loop.ScheduledCallback;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A loop's timers ({@link LoopTimers}, {@link LoopTimer}) on their own, on an
 * {@code onCurrentThread} loop driven by the test: order by deadline then insertion, the purge of
 * many cancelled timers, the slot a pending timer holds, and cancel-all at close.
 */
class LoopTimersTests {

	private static final long HOUR = Duration.ofHours(1).toNanos();

	private final DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("timers").queueCapacity(3).onCurrentThread();

	private final LoopTimers timers = this.loop.timers;

	@AfterEach
	void close() {
		this.loop.close();
	}

	private LoopTimer later(long nanos) {
		return this.timers.newTimer(System.nanoTime() + nanos, () -> {
		}, true);
	}

	@Test
	@DisplayName("order: earlier deadline first, across a nanoTime wrap; equal deadlines by insertion, off-loop ones before loop ones")
	void ordering() {
		Runnable task = () -> {
		};
		LoopTimer early = new LoopTimer(Long.MAX_VALUE - 10, 5, task, this.timers);
		LoopTimer late = new LoopTimer(Long.MAX_VALUE + 10, 1, task, this.timers); // wrapped: still 20 ns later
		assertThat(early.compareTo(late)).isNegative();
		assertThat(late.compareTo(early)).isPositive();
		assertThat(early.compareTo(early)).isZero();
		LoopTimer first = new LoopTimer(100, 1, task, this.timers);
		LoopTimer second = new LoopTimer(100, 2, task, this.timers);
		assertThat(first.compareTo(second)).isNegative();
		assertThat(second.compareTo(first)).isPositive();
		long deadline = System.nanoTime() + HOUR;
		LoopTimer onLoop = this.timers.newTimer(deadline, task, true);
		LoopTimer offLoop = this.timers.newTimer(deadline, task, false);
		LoopTimer onLoopNext = this.timers.newTimer(deadline, task, true);
		LoopTimer offLoopNext = this.timers.newTimer(deadline, task, false);
		assertThat(offLoop.compareTo(onLoop)).isNegative();
		assertThat(onLoop.compareTo(onLoopNext)).isNegative();
		assertThat(offLoop.compareTo(offLoopNext)).isNegative();
	}

	@Test
	@DisplayName("due timers run in deadline order, equal deadlines in insertion order (CB-4); an undue one stays")
	void dueTimersRunInOrder() {
		List<String> ran = new ArrayList<>();
		long now = System.nanoTime();
		this.timers.newTimer(now - 5, () -> ran.add("b"), true);
		this.timers.newTimer(now - 10, () -> ran.add("a"), true);
		this.timers.newTimer(now - 5, () -> ran.add("c"), true);
		this.timers.newTimer(now + HOUR, () -> ran.add("later"), true);
		assertThat(this.timers.nanosUntilNext()).isNegative();
		assertThat(this.loop.runOnce()).isEqualTo(3);
		assertThat(ran).containsExactly("a", "b", "c");
		assertThat(this.timers.isEmpty()).isFalse();
		assertThat(this.timers.nanosUntilNext()).isPositive().isLessThanOrEqualTo(HOUR);
	}

	@Test
	@DisplayName("nanosUntilNext: NONE without timers, the time to the first one otherwise")
	void nanosUntilNext() {
		assertThat(this.timers.isEmpty()).isTrue();
		assertThat(this.timers.nanosUntilNext()).isEqualTo(LoopTimers.NONE);
		later(HOUR);
		later(2 * HOUR);
		assertThat(this.timers.nanosUntilNext()).isBetween(HOUR - Duration.ofMinutes(1).toNanos(), HOUR);
	}

	@Test
	@DisplayName("a cancelled timer at the head leaves the heap when the loop moves due timers, even if not due")
	void cancelledHeadLeaves() {
		LoopTimer timer = later(HOUR);
		assertThat(timer.cancel()).isTrue();
		this.timers.moveDue(this.loop.ready);
		assertThat(this.timers.isEmpty()).isTrue();
		assertThat(this.loop.ready.isEmpty()).isTrue();
	}

	@Test
	@DisplayName("cancelled timers behind a pending one are purged only when more than 64 and more than half the heap")
	void purgeThresholds() {
		LoopTimer head = later(HOUR); // not cancelled: the head keeps the cancelled ones behind it in the heap
		for (int i = 0; i < 64; i++) {
			later(2 * HOUR).cancel();
		}
		this.timers.moveDue(this.loop.ready);
		assertThat(heapSize()).as("64 cancelled: not purged").isEqualTo(65);
		later(2 * HOUR).cancel();
		this.timers.moveDue(this.loop.ready);
		assertThat(heapSize()).as("65 cancelled of 66: purged").isEqualTo(1);
		// The purge reset the count: one more cancelled timer is not enough to purge again.
		later(2 * HOUR).cancel();
		this.timers.moveDue(this.loop.ready);
		assertThat(heapSize()).isEqualTo(2);
		assertThat(head.cancelled()).isFalse();
	}

	@Test
	@DisplayName("no purge while the cancelled timers are at most half the heap")
	void purgeNeedsHalf() {
		for (int i = 0; i < 66; i++) {
			later(HOUR); // pending
		}
		for (int i = 0; i < 65; i++) {
			later(2 * HOUR).cancel();
		}
		this.timers.moveDue(this.loop.ready);
		assertThat(heapSize()).as("65 cancelled of 131: not over half").isEqualTo(131);
		later(2 * HOUR).cancel();
		this.timers.moveDue(this.loop.ready);
		assertThat(heapSize()).as("66 cancelled of 132: still not over half").isEqualTo(132);
		later(2 * HOUR).cancel();
		this.timers.moveDue(this.loop.ready);
		assertThat(heapSize()).as("67 cancelled of 133: over half").isEqualTo(66);
	}

	@Test
	@DisplayName("cancel-all resets the count of cancelled timers, so a later purge counts afresh")
	void cancelAllResetsTheCount() {
		for (int i = 0; i < 70; i++) {
			later(HOUR).cancel();
		}
		this.timers.cancelAll(false);
		assertThat(this.timers.isEmpty()).isTrue();
		later(HOUR);
		later(2 * HOUR).cancel();
		this.timers.moveDue(this.loop.ready);
		assertThat(heapSize()).isEqualTo(2);
	}

	@Test
	@DisplayName("cancel and start: exactly one wins, once; the state shows in toString")
	void cancelOrStartOnce() {
		Runnable task = () -> {
		};
		LoopTimer cancelled = later(HOUR);
		assertThat(cancelled.toString()).startsWith("ScheduledCallback[waiting](");
		assertThat(cancelled.cancelled()).isFalse();
		assertThat(cancelled.cancel()).isTrue();
		assertThat(cancelled.cancelled()).isTrue();
		assertThat(cancelled.cancel()).isFalse();
		assertThat(cancelled.start()).isFalse();
		assertThat(cancelled.toString()).startsWith("ScheduledCallback[cancelled](");
		LoopTimer started = this.timers.newTimer(System.nanoTime(), task, true);
		assertThat(started.start()).isTrue();
		assertThat(started.start()).isFalse();
		assertThat(started.cancel()).isFalse();
		assertThat(started.cancelled()).isFalse();
		assertThat(started.toString()).startsWith("ScheduledCallback[started](");
	}

	@Test
	@DisplayName("a pending timer holds a slot of the capacity until it is cancelled or starts")
	void slotHeldUntilCancelledOrStarted() {
		ScheduledCallback a = this.loop.callLater(Duration.ofHours(1), () -> {
		});
		this.loop.callLater(Duration.ZERO, () -> {
		});
		this.loop.callLater(Duration.ofHours(1), () -> {
		});
		assertThatThrownBy(() -> this.loop.callLater(Duration.ofHours(1), () -> {
		})).isInstanceOf(EventLoopFullException.class);
		assertThat(a.cancel()).isTrue();
		ScheduledCallback d = this.loop.callLater(Duration.ofHours(1), () -> {
		});
		assertThatThrownBy(() -> this.loop.callLater(Duration.ofHours(1), () -> {
		})).isInstanceOf(EventLoopFullException.class);
		assertThat(this.loop.runOnce()).isEqualTo(1); // the due one starts: its slot is free
		this.loop.callLater(Duration.ofHours(1), () -> {
		});
		assertThat(d.cancelled()).isFalse();
	}

	@Test
	@DisplayName("close cancels the timers not due and logs how many; a timer inserted from another thread is cancelled if the loop is closed")
	void cancelAllAtClose() {
		ScheduledCallback a = this.loop.callLater(Duration.ofHours(1), () -> {
		});
		ScheduledCallback a2 = this.loop.callLater(Duration.ofHours(3), () -> {
		});
		ScheduledCallback b = this.loop.callLater(Duration.ofHours(2), () -> {
		});
		assertThat(b.cancel()).isTrue(); // already cancelled: not counted again
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			this.loop.close();
			assertThat(log.messages(Level.INFO).stream().filter((line) -> line.contains("scheduled callback")))
				.containsExactly("EventLoop 'timers' cancelled 2 scheduled callback(s) that were not due when it closed");
		}
		assertThat(a.cancelled()).isTrue();
		assertThat(a2.cancelled()).isTrue();
		LoopTimer offLoop = this.timers.newTimer(System.nanoTime(), () -> {
		}, false);
		LoopTimers.Insertion insertion = this.timers.insertion(offLoop);
		assertThat(insertion.toString()).isEqualTo("insert " + offLoop);
		insertion.rejectedByClosedLoop();
		assertThat(offLoop.cancelled()).isTrue();
	}

	@Test
	@DisplayName("no log line when close finds no timer to cancel")
	void noLogWithoutTimers() {
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			this.timers.cancelAll(true);
			later(HOUR);
			this.timers.cancelAll(false);
			assertThat(log.messages(Level.INFO).stream().filter((line) -> line.contains("scheduled callback"))).isEmpty();
		}
	}

	@Test
	@DisplayName("an insertion adds its timer to the heap when it runs on the loop")
	void insertionAddsToHeap() {
		LoopTimer offLoop = this.timers.newTimer(System.nanoTime() + HOUR, () -> {
		}, false);
		assertThat(this.timers.isEmpty()).isTrue();
		this.timers.insertion(offLoop).run();
		assertThat(this.timers.isEmpty()).isFalse();
	}

	/** The heap's size: read reflectively, since no production code needs it (the purge is otherwise invisible). */
	private int heapSize() {
		try {
			Field heap = LoopTimers.class.getDeclaredField("heap");
			heap.setAccessible(true);
			return ((PriorityQueue<?>) heap.get(this.timers)).size();
		}
		catch (ReflectiveOperationException ex) {
			throw new AssertionError(ex);
		}
	}

}
