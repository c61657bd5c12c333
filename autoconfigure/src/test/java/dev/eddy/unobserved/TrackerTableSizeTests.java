package dev.eddy.unobserved;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.eddy.testsupport.GarbageCollection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.eddy.unobserved.TrackerTableInternals.intField;
import static dev.eddy.unobserved.TrackerTableInternals.slots;
import static dev.eddy.unobserved.TrackerTableInternals.track;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link TrackerTableTests} cannot see from outside: the size the tracker table keeps after
 * a flood ("the table never keeps the size a flood gave it"), read through its private fields,
 * with the figures the algorithm gives (doubling from 16 slots; compaction once over 1,024 slots
 * and under a quarter in use, halving while half the size still holds twice the live trackers);
 * and that each tracker reports under its own source and label, whatever was tracked before it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrackerTableSizeTests {

	@Test
	@DisplayName("5,000 trackers grow the table to 8,192 slots; all but every 500th observed from the end compact it to 1,024")
	void flood_thenObserved_compactsToTheFiguresOfTheAlgorithm() throws Exception {
		try (UnobservedFailureDetector detector = UnobservedFailureDetector.builder().build()) {
			assertThat(slots(detector)).isEqualTo(16);
			List<Object> futures = new ArrayList<>();
			List<UnobservedFailureDetector.Tracker> trackers = track(detector, futures, 5_000);
			assertThat(slots(detector)).isEqualTo(8_192);
			for (int i = trackers.size() - 1; i >= 0; i--) {
				if (i % 500 != 0) {
					trackers.get(i).observed();
				}
			}
			assertThat(detector.trackedCount()).isEqualTo(10);
			assertThat(slots(detector)).as("compacted twice: at 1,249 live of 5,000 used, then at 312 of 1,249").isEqualTo(1_024);
			assertThat(intField(detector, "usedSlots")).isEqualTo(312);
			assertThat(intField(detector, "freeCount")).isEqualTo(302);
			for (int i = 0; i < trackers.size(); i += 500) {
				trackers.get(i).observed(); // the moved trackers still unlink from their new slots
			}
			assertThat(detector.trackedCount()).isZero();
			assertThat(intField(detector, "usedSlots")).as("empty: back to slot 0").isZero();
			assertThat(slots(detector)).as("1,024 is not over 64 x 16: kept").isEqualTo(1_024);
			assertThat(futures).hasSize(5_000);
		}
	}

	@Test
	@DisplayName("3,000 trackers, all but every 1,000th observed from the end: one compaction, 2,048 slots, 749 used")
	void smallerFlood_compactsOnce() throws Exception {
		try (UnobservedFailureDetector detector = UnobservedFailureDetector.builder().build()) {
			List<Object> futures = new ArrayList<>();
			List<UnobservedFailureDetector.Tracker> trackers = track(detector, futures, 3_000);
			assertThat(slots(detector)).isEqualTo(4_096);
			for (int i = trackers.size() - 1; i >= 0; i--) {
				if (i % 1_000 != 0) {
					trackers.get(i).observed();
				}
			}
			assertThat(detector.trackedCount()).isEqualTo(3);
			assertThat(slots(detector)).isEqualTo(2_048);
			assertThat(intField(detector, "usedSlots")).isEqualTo(749);
			assertThat(intField(detector, "freeCount")).isEqualTo(746);
			assertThat(futures).hasSize(3_000);
		}
	}

	@Test
	@DisplayName("GC-1: each report names its own source and label, whatever origin was tracked just before")
	void origins_areKeptApart() {
		List<UnobservedFailure> reports = new CopyOnWriteArrayList<>();
		try (UnobservedFailureDetector detector = UnobservedFailureDetector.builder().listener(reports::add).build()) {
			abandon(detector, "a", "s1", "L1");
			abandon(detector, "b", "s1", "L2");
			abandon(detector, "c", "s2", "L2");
			abandon(detector, "d", "s1", "L1");
			abandon(detector, "e", "s2", "L1");
			GarbageCollection.awaitReports(reports, 5);
			GarbageCollection.settle();
			assertThat(reports).extracting((r) -> r.exception().getMessage() + " " + r.source() + " " + r.description())
				.containsExactlyInAnyOrder("a s1 L1(failed: IOException: a)", "b s1 L2(failed: IOException: b)",
						"c s2 L2(failed: IOException: c)", "d s1 L1(failed: IOException: d)",
						"e s2 L1(failed: IOException: e)");
		}
	}

	private static void abandon(UnobservedFailureDetector detector, String message, String source, String label) {
		assertThat(detector.track(new Object(), new IOException(message), source, label, null)).isNotNull();
	}

}
