package dev.eddy.unobserved;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import dev.eddy.testsupport.GarbageCollection;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.eddy.unobserved.TrackerTableInternals.fieldValue;
import static dev.eddy.unobserved.TrackerTableInternals.intField;
import static dev.eddy.unobserved.TrackerTableInternals.slots;
import static dev.eddy.unobserved.TrackerTableInternals.track;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edges {@link TrackerTableSizeTests} does not land on, read through the detector's private
 * fields: compaction starts only over 64 x 16 = 1,024 slots in use and only under a quarter of
 * them live (a flood of exactly 1,024, and one of 1,028 observed down to exactly a quarter and
 * one under), and halves while half the size still holds twice the live trackers (to exactly
 * that size). And the reaper's life at close: close() interrupts a reaper waiting on its queue,
 * and a report the reaper makes after close() flushed the log is summed up by the reaper's own
 * final flush.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DetectorBoundaryTests {

	/** Observes trackers from the last one down, until {@code live} are left. */
	private static void observeFromTheEndDownTo(List<UnobservedFailureDetector.Tracker> trackers, int live) {
		for (int i = trackers.size() - 1; i >= live; i--) {
			trackers.get(i).observed();
		}
	}

	@Test
	@DisplayName("exactly 1,024 slots in use is not over 64 x 16: observed down to 255 live (under a quarter), the table is not compacted")
	void exactly1024InUse_isNotCompacted() throws Exception {
		try (UnobservedFailureDetector detector = UnobservedFailureDetector.builder().build()) {
			List<Object> futures = new ArrayList<>();
			List<UnobservedFailureDetector.Tracker> trackers = track(detector, futures, 1_024);
			assertThat(slots(detector)).isEqualTo(1_024);
			observeFromTheEndDownTo(trackers, 255);
			assertThat(detector.trackedCount()).isEqualTo(255);
			assertThat(intField(detector, "usedSlots")).as("not compacted").isEqualTo(1_024);
			assertThat(intField(detector, "freeCount")).isEqualTo(769);
			assertThat(slots(detector)).isEqualTo(1_024);
			assertThat(futures).hasSize(1_024);
		}
	}

	@Test
	@DisplayName("1,028 in use: not compacted at exactly a quarter live (257), compacted at 256, halving 2,048 slots to exactly 512 (half of it is twice the live)")
	void compactsJustUnderAQuarter_halvingToTwiceTheLive() throws Exception {
		try (UnobservedFailureDetector detector = UnobservedFailureDetector.builder().build()) {
			List<Object> futures = new ArrayList<>();
			List<UnobservedFailureDetector.Tracker> trackers = track(detector, futures, 1_028);
			assertThat(slots(detector)).isEqualTo(2_048);
			observeFromTheEndDownTo(trackers, 257);
			assertThat(intField(detector, "usedSlots")).as("257 x 4 = 1,028 is not under 1,028: not compacted").isEqualTo(1_028);
			assertThat(intField(detector, "freeCount")).isEqualTo(771);
			assertThat(slots(detector)).isEqualTo(2_048);
			trackers.get(256).observed();
			assertThat(intField(detector, "usedSlots")).as("256 x 4 < 1,028: compacted to the live ones").isEqualTo(256);
			assertThat(intField(detector, "freeCount")).isZero();
			assertThat(slots(detector)).as("2,048 -> 1,024 -> 512, while half the size is at least 2 x 256")
				.isEqualTo(512);
			assertThat(detector.trackedCount()).isEqualTo(256);
			observeFromTheEndDownTo(trackers, 0);
			assertThat(detector.trackedCount()).isZero();
			assertThat(intField(detector, "usedSlots")).isZero();
			assertThat(futures).hasSize(1_028);
		}
	}

	@Test
	@DisplayName("a full table (2,048 of 2,048 slots in use) compacts without reading past its end: 511 live moved to 1,024 slots")
	void fullTable_compactsWithinItsSlots() throws Exception {
		try (UnobservedFailureDetector detector = UnobservedFailureDetector.builder().build()) {
			List<Object> futures = new ArrayList<>();
			List<UnobservedFailureDetector.Tracker> trackers = track(detector, futures, 2_048);
			assertThat(slots(detector)).isEqualTo(2_048);
			assertThat(intField(detector, "usedSlots")).isEqualTo(2_048);
			observeFromTheEndDownTo(trackers, 512);
			assertThat(intField(detector, "usedSlots")).as("512 x 4 is not under 2,048").isEqualTo(2_048);
			trackers.get(511).observed(); // compacts: every slot up to the last one is looked at, none past it
			assertThat(intField(detector, "usedSlots")).isEqualTo(511);
			assertThat(intField(detector, "freeCount")).isZero();
			assertThat(slots(detector)).isEqualTo(1_024);
			assertThat(detector.trackedCount()).isEqualTo(511);
			assertThat(futures).hasSize(2_048);
		}
	}

	@Test
	@DisplayName("close() interrupts the reaper waiting on its queue: it ends")
	void close_interruptsTheWaitingReaper() throws Exception {
		UnobservedFailureDetector detector = UnobservedFailureDetector.builder().build();
		Object future = new Object();
		UnobservedFailureDetector.Tracker tracker = detector.track(future, new IOException("x"), "s", "l", null);
		assertThat(tracker).isNotNull();
		tracker.observed();
		Thread reaper = (Thread) fieldValue(detector, "reaper");
		assertThat(reaper).isNotNull();
		awaitState(reaper, Thread.State.WAITING); // inside the queue's remove(), past its check of closed
		detector.close();
		reaper.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(reaper.isAlive()).as("woken by the interrupt, it saw closed and ended").isFalse();
		assertThat(future).isNotNull();
	}

	@Test
	@DisplayName("a report the reaper makes after close() flushed is summed up by the reaper's final flush: nothing held back is lost")
	void reportAfterCloseFlushed_isSummedUpByTheReapersFinalFlush() throws Exception {
		UnobservedFailureDetector detector = UnobservedFailureDetector.builder().build();
		Object lock = fieldValue(detector, "slotLock");
		try (LogCapture log = LogCapture.of(UnobservedFailureDetector.LOGGER_NAME)) {
			abandon(detector, "collected");
			Thread reaper = (Thread) fieldValue(detector, "reaper");
			synchronized (lock) {
				// The reaper takes the collected tracker, then blocks on unlinking it (this thread holds the table's lock).
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
				while ((detector.reportsInProgress() != 1 || reaper.getState() != Thread.State.BLOCKED)
						&& System.nanoTime() < deadline) {
					System.gc();
					GarbageCollection.sleep(10);
				}
				assertThat(detector.reportsInProgress()).as("the reaper holds the collected tracker").isEqualTo(1);
				assertThat(reaper.getState()).isEqualTo(Thread.State.BLOCKED);
				detector.close(); // flushes: nothing held back yet
				detector.reportNow(failure("now 1"), "main", "first after the flush"); // logged
				detector.reportNow(failure("now 2"), "main", "second after the flush"); // same key: held back
			}
			reaper.join(TimeUnit.SECONDS.toMillis(10));
			assertThat(reaper.isAlive()).isFalse();
			// The logger is shared by every detector in this JVM: only this detector's lines (and the summaries) count.
			assertThat(log.messages(Level.ERROR).stream()
				.filter((m) -> m.contains("after the flush") || m.contains("F(failed: IllegalStateException: collected)")
						|| m.contains("similar error(s) were not logged")))
				.containsExactly(
					"Future exception was never retrieved: first after the flush (source main); set eddy.unobserved.level=TRACED "
							+ "(or UnobservedFailureDetector.Level.TRACED) to record where failed futures are created",
					"2 similar error(s) were not logged in the last window (logging is rate-limited and de-duplicated; the "
							+ "counters count every one)");
			assertThat(detector.reportedCount()).isEqualTo(3);
		}
	}

	/** Every failure of this test comes from this line: one log key for all (type, throwing frame, source "main"). */
	private static IllegalStateException failure(String message) {
		return new IllegalStateException(message);
	}

	private static void abandon(UnobservedFailureDetector detector, String message) {
		assertThat(detector.track(new Object(), failure(message), "main", "F", null)).isNotNull();
	}

	private static void awaitState(Thread thread, Thread.State state) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (thread.getState() != state && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(thread.getState()).isEqualTo(state);
	}

}
