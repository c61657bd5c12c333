package dev.eddy.testsupport;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded loops of {@link System#gc()} for tests of the unobserved-failure detector, which reports
 * when the garbage collector finds a failed future unreachable.
 */
public final class GarbageCollection {

	private GarbageCollection() {
	}

	/**
	 * Collects garbage until {@code reports} holds at least {@code expected} entries, for at most
	 * 30 seconds, then asserts it does.
	 * @param reports what a listener collected
	 * @param expected how many reports to wait for
	 */
	public static void awaitReports(Collection<?> reports, int expected) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (reports.size() < expected && System.nanoTime() < deadline) {
			System.gc();
			sleep(10);
		}
		assertThat(reports).as("reports after bounded garbage collection").hasSizeGreaterThanOrEqualTo(expected);
	}

	/** A few more collections, so that a report that should not come has had its chance. */
	public static void settle() {
		for (int i = 0; i < 5; i++) {
			System.gc();
			sleep(20);
		}
	}

	/**
	 * Sleeps, turning an interrupt into a test failure.
	 * @param millis how long
	 */
	public static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
