package dev.eddy.unobserved;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import dev.eddy.micrometer.EddyMeters;
import dev.eddy.micrometer.UnobservedFailureMetrics;
import dev.eddy.testsupport.GarbageCollection;
import dev.eddy.testsupport.LogCapture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reaper thread, the one thread that turns collected failures into reports (GC-1: every
 * unobserved failure is reported once), survives whatever the user's exceptions and listeners
 * throw while a report is made: an {@code Error}, a real {@code StackOverflowError}, a
 * {@code VirtualMachineError} whose own methods throw, a cyclic {@code toString()}. After each,
 * later failures are still counted, told to every listener and to Eddy's Micrometer counter. And
 * what the log held back is summed up at the latest when the detector closes. Unlike
 * {@link UnobservedFailureReportsTests}, every report here goes through the real path: a tracked
 * future dropped, the garbage collector, the reaper.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReaperSurvivalTests {

	private final List<UnobservedFailure> told = new CopyOnWriteArrayList<>();

	@Test
	@DisplayName("GC-1: a listener with a cyclic toString() throwing an Error, a real StackOverflowError, a hostile VirtualMachineError and a cyclic exception does not stop the reaper, the later listeners or the Micrometer counter")
	void reaper_listenerThrowsErrors_laterFailuresStillReportedAndCounted() {
		AtomicInteger calls = new AtomicInteger();
		UnobservedFailureListener hostile = new UnobservedFailureListener() {

			@Override
			public void onUnobservedFailure(UnobservedFailure failure) {
				switch (calls.incrementAndGet()) {
					case 1 -> throw new AssertionError("listener bug");
					case 2 -> recurse(0); // a real StackOverflowError on the reaper thread
					case 3 -> throw new HostileVirtualMachineError();
					case 4 -> throw new CyclicToString();
					default -> {
					}
				}
			}

			@Override
			public String toString() {
				return "hostile listener " + this; // cyclic: the log line about it must not overflow
			}

		};
		MeterRegistry registry = new SimpleMeterRegistry();
		try (UnobservedFailureDetector detector = UnobservedFailureDetector.builder().listener(hostile).build();
				LogCapture log = LogCapture.of(UnobservedFailureDetector.LOGGER_NAME)) {
			new UnobservedFailureMetrics(detector).bindTo(registry); // told after the hostile listener
			detector.addListener(this.told::add);
			for (int i = 1; i <= 7; i++) {
				abandon(detector, new IOException("failure " + i));
				GarbageCollection.awaitReports(this.told, i); // one at a time: each meets the next hostile mode
			}
			assertThat(this.told).extracting((failure) -> failure.exception().getMessage())
				.containsExactly("failure 1", "failure 2", "failure 3", "failure 4", "failure 5", "failure 6", "failure 7");
			assertThat(detector.reportedCount()).isEqualTo(7);
			assertThat(calls).hasValue(7);
			assertThat(registry.get(EddyMeters.UNOBSERVED).counter().count()).isEqualTo(7);
			assertThat(log.messages(Level.ERROR)).filteredOn((line) -> line.startsWith("UnobservedFailureListener "))
				.hasSize(4)
				.allSatisfy((line) -> assertThat(line).contains("(toString threw java.lang.StackOverflowError) failed"));
			assertThat(log.messages(Level.ERROR)).filteredOn((line) -> line.startsWith("Unobserved-failure reaper failed"))
				.as("the two VirtualMachineErrors were rethrown to the reaper, which logged them and went on")
				.hasSize(2);
		}
		finally {
			registry.close();
		}
	}

	@Test
	@DisplayName("GC-1: failures whose toString() or getMessage() throw, a cyclic toString() and a StackOverflowError as the failure are each reported, counted and told")
	void reaper_hostileFailures_eachReportedCountedAndTold() {
		MeterRegistry registry = new SimpleMeterRegistry();
		List<Throwable> failures = List.of(new ThrowingToString(), new ThrowingMessage(), new CyclicToString(),
				new StackOverflowError("the failure itself"), new HostileVirtualMachineError());
		try (UnobservedFailureDetector detector = UnobservedFailureDetector.builder().build();
				LogCapture log = LogCapture.of(UnobservedFailureDetector.LOGGER_NAME)) {
			new UnobservedFailureMetrics(detector).bindTo(registry);
			detector.addListener(this.told::add);
			for (Throwable failure : failures) {
				abandon(detector, failure);
			}
			GarbageCollection.awaitReports(this.told, failures.size());
			assertThat(this.told).extracting(UnobservedFailure::exception).containsExactlyInAnyOrderElementsOf(failures);
			assertThat(this.told).allSatisfy((failure) -> assertThat(failure.description()).startsWith("LoopFuture[loop=main](failed: "));
			assertThat(detector.reportedCount()).isEqualTo(failures.size());
			double counted = registry.find(EddyMeters.UNOBSERVED).counters().stream().mapToDouble((c) -> c.count()).sum();
			assertThat(counted).isEqualTo(failures.size());
			assertThat(log.messages(Level.ERROR)).filteredOn((line) -> line.startsWith("Future exception was never retrieved: "))
				.hasSize(failures.size());
			// Still alive: one more failure after the hostile ones is reported too.
			abandon(detector, new IOException("after"));
			GarbageCollection.awaitReports(this.told, failures.size() + 1);
		}
		finally {
			registry.close();
		}
	}

	@Test
	@DisplayName("GC-1: a flood from one place, reported by the reaper, is logged once and its held-back count is logged when the detector closes")
	void reaper_flood_summaryLoggedOnClose() {
		UnobservedFailureDetector detector = UnobservedFailureDetector.builder().listener(this.told::add).build();
		try (LogCapture log = LogCapture.of(UnobservedFailureDetector.LOGGER_NAME)) {
			for (int i = 0; i < 50; i++) {
				abandon(detector, sameBug());
			}
			GarbageCollection.awaitReports(this.told, 50);
			awaitNoReportInProgress(detector);
			assertThat(log.messages(Level.ERROR)).hasSize(1);
			detector.close();
			assertThat(log.messages(Level.ERROR)).last()
				.isEqualTo("49 similar error(s) were not logged in the last window (logging is rate-limited and "
						+ "de-duplicated; the counters count every one)");
		}
		finally {
			detector.close();
		}
	}

	private static void awaitNoReportInProgress(UnobservedFailureDetector detector) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (detector.reportsInProgress() > 0 && System.nanoTime() < deadline) {
			GarbageCollection.sleep(5);
		}
		assertThat(detector.reportsInProgress()).isZero();
	}

	/** Tracks a failure of a future that is unreachable as soon as this method returns. */
	private static void abandon(UnobservedFailureDetector detector, Throwable failure) {
		assertThat(detector.track(new Object(), failure, "main", "LoopFuture[loop=main]", null)).isNotNull();
	}

	private static IllegalStateException sameBug() {
		return new IllegalStateException("same place every time");
	}

	private static int recurse(int depth) {
		return recurse(depth + 1) + 1;
	}

	/** A VirtualMachineError (rethrown by the detector after every listener) whose own methods throw. */
	static final class HostileVirtualMachineError extends VirtualMachineError {

		private static final long serialVersionUID = 1L;

		@Override
		public String getMessage() {
			throw new IllegalStateException("getMessage is broken");
		}

		@Override
		public String toString() {
			throw new IllegalStateException("toString is broken");
		}

	}

	static final class ThrowingToString extends RuntimeException {

		private static final long serialVersionUID = 1L;

		ThrowingToString() {
			super("fine message");
		}

		@Override
		public String toString() {
			throw new IllegalStateException("toString is broken");
		}

	}

	static final class ThrowingMessage extends RuntimeException {

		private static final long serialVersionUID = 1L;

		@Override
		public String getMessage() {
			throw new IllegalStateException("getMessage is broken");
		}

	}

	/** A toString() that recurses without end, as bidirectional JPA entities' do. */
	static final class CyclicToString extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final Object parent = new Object() {
			@Override
			public String toString() {
				return "Parent(child=" + CyclicToString.this + ")";
			}
		};

		@Override
		public String getMessage() {
			return "child of " + this.parent;
		}

		@Override
		public String toString() {
			return "Child(parent=" + this.parent + ")";
		}

	}

}
