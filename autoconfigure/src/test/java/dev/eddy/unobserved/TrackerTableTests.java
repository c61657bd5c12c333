package dev.eddy.unobserved;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.eddy.testsupport.GarbageCollection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table that keeps live trackers reachable (a slot each, instead of list links): it grows
 * with a flood, gives its slots back, returns to its small size when empty, keeps the cap exact,
 * and loses no tracker under concurrent tracking and observing (GC-1: every abandoned failure is
 * reported exactly once; GC-3: an observed one never).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrackerTableTests {

	private final List<UnobservedFailure> reports = new CopyOnWriteArrayList<>();

	@Test
	@DisplayName("GC-1, GC-3: 5,000 live trackers, all but 10 observed (the table compacts), then 10 more abandoned: exactly those 20 are reported")
	void flood_thenMostObserved_thenAbandoned_onlyTheUnobservedAreReported() {
		try (UnobservedFailureDetector detector = UnobservedFailureDetector.builder().listener(this.reports::add).build()) {
			List<Object> futures = new ArrayList<>();
			List<UnobservedFailureDetector.Tracker> trackers = new ArrayList<>();
			for (int i = 0; i < 5_000; i++) {
				Object future = new Object();
				futures.add(future);
				trackers.add(detector.track(future, new IllegalStateException("observed " + i), "main", "F", null));
			}
			assertThat(detector.trackedCount()).isEqualTo(5_000);
			// Observe all but every 500th, from the end: the table compacts, moving the ten kept ones.
			for (int i = trackers.size() - 1; i >= 0; i--) {
				if (i % 500 != 0) {
					trackers.get(i).observed();
					trackers.get(i).observed(); // idempotent
				}
			}
			assertThat(detector.trackedCount()).isEqualTo(10);
			for (int i = 0; i < 10; i++) {
				abandon(detector, "abandoned " + i);
			}
			assertThat(detector.trackedCount()).isEqualTo(20);
			futures.clear();
			GarbageCollection.awaitReports(this.reports, 20);
			GarbageCollection.settle();
			assertThat(this.reports).extracting((report) -> report.exception().getMessage())
				.containsExactlyInAnyOrder("observed 0", "observed 500", "observed 1000", "observed 1500", "observed 2000",
						"observed 2500", "observed 3000", "observed 3500", "observed 4000", "observed 4500", "abandoned 0",
						"abandoned 1", "abandoned 2", "abandoned 3", "abandoned 4", "abandoned 5", "abandoned 6",
						"abandoned 7", "abandoned 8", "abandoned 9");
			assertThat(detector.trackedCount()).isZero();
		}
	}

	@Test
	@DisplayName("the cap is exact: with maxTracked=3, the fourth live failure is untracked; a freed slot is usable again")
	void cap_isExact() {
		try (UnobservedFailureDetector detector = UnobservedFailureDetector.builder().maxTracked(3).build()) {
			Object[] futures = { new Object(), new Object(), new Object(), new Object() };
			UnobservedFailureDetector.Tracker first = detector.track(futures[0], new IllegalStateException(), "s", "F", null);
			assertThat(detector.track(futures[1], new IllegalStateException(), "s", "F", null)).isNotNull();
			assertThat(detector.track(futures[2], new IllegalStateException(), "s", "F", null)).isNotNull();
			assertThat(detector.track(futures[3], new IllegalStateException(), "s", "F", null)).isNull();
			assertThat(detector.untrackedCount()).isEqualTo(1);
			first.observed();
			assertThat(detector.track(futures[3], new IllegalStateException(), "s", "F", null)).isNotNull();
			assertThat(detector.trackedCount()).isEqualTo(3);
			assertThat(futures).hasSize(4); // all reachable until here
		}
	}

	@Test
	@DisplayName("GC-1, GC-3: 4 threads track and observe 50,000 failures each and abandon every 100th: exactly the abandoned are reported")
	void concurrentTrackAndObserve_losesNothing() throws Exception {
		try (UnobservedFailureDetector detector = UnobservedFailureDetector.builder().listener(this.reports::add).build()) {
			ExecutorService pool = Executors.newFixedThreadPool(4);
			try {
				List<Future<?>> done = new ArrayList<>();
				for (int t = 0; t < 4; t++) {
					done.add(pool.submit(() -> {
						for (int i = 0; i < 50_000; i++) {
							if (i % 100 == 0) {
								abandon(detector, "abandoned");
							}
							else {
								Object future = new Object();
								detector.track(future, new IllegalStateException("observed"), "main", "F", null).observed();
								Reference.reachabilityFence(future); // observed while reachable, as a future observes itself
							}
						}
					}));
				}
				for (Future<?> each : done) {
					each.get(60, TimeUnit.SECONDS);
				}
			}
			finally {
				pool.shutdown();
			}
			GarbageCollection.awaitReports(this.reports, 2_000);
			GarbageCollection.settle();
			assertThat(this.reports).hasSize(2_000)
				.allSatisfy((report) -> assertThat(report.exception().getMessage()).isEqualTo("abandoned"));
			assertThat(detector.untrackedCount()).isZero();
			assertThat(detector.trackedCount()).isZero();
		}
	}

	private static void abandon(UnobservedFailureDetector detector, String message) {
		assertThat(detector.track(new Object(), new IllegalStateException(message), "main", "F", null)).isNotNull();
	}

}
