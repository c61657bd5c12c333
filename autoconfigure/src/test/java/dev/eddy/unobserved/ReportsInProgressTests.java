package dev.eddy.unobserved;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.eddy.testsupport.GarbageCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UnobservedFailureDetector#reportsInProgress()}: a collected failure leaves
 * {@code trackedCount()} before its report reaches the listeners; the count covers that gap, so
 * that a test waiting for reports (Eddy's test support) does not stop early.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReportsInProgressTests {

	@Test
	void reportsInProgress_coversTheGapBetweenUntrackingAndTheListeners() throws Exception {
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		try (UnobservedFailureDetector detector = UnobservedFailureDetector.builder().listener((failure) -> {
			entered.countDown();
			try {
				release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}).build()) {
			trackAndDrop(detector);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (entered.getCount() > 0 && System.nanoTime() < deadline) {
				System.gc();
				GarbageCollection.sleep(10);
			}
			assertThat(entered.getCount()).as("listener reached").isZero();
			assertThat(detector.trackedCount()).isZero();
			assertThat(detector.reportsInProgress()).isEqualTo(1);
			release.countDown();
			long done = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (detector.reportsInProgress() > 0 && System.nanoTime() < done) {
				GarbageCollection.sleep(5);
			}
			assertThat(detector.reportsInProgress()).isZero();
			assertThat(detector.reportedCount()).isEqualTo(1);
		}
	}

	private static void trackAndDrop(UnobservedFailureDetector detector) {
		detector.track(new Object(), new IllegalStateException("dropped"), "test", "Future[test]", null);
	}

}
