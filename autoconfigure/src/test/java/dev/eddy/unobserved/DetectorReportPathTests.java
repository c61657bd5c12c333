package dev.eddy.unobserved;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The detector's own machinery, below what {@link UnobservedFailureDetectorTests} reaches through
 * futures: the de-duplication key, the exception attached to the log line at each level (GC-1,
 * GC-8), a report whose logging itself throws, the reaper thread's life, the lazily made global
 * detector, and {@code toString}. Plain JUnit, no loop, no garbage collection needed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DetectorReportPathTests {

	private static final String REAPER = "eddy-unobserved-reaper-";

	private final ConcurrentLinkedQueue<UnobservedFailure> told = new ConcurrentLinkedQueue<>();

	private UnobservedFailureDetector detector;

	private LogCapture log;

	@BeforeEach
	void setUp() {
		this.detector = UnobservedFailureDetector.builder().listener(this.told::add).build();
		this.log = LogCapture.of(UnobservedFailureDetector.LOGGER_NAME);
	}

	@AfterEach
	void tearDown() {
		this.log.close();
		this.detector.close();
	}

	@Test
	@DisplayName("key: type, throwing frame and source; at TRACED also the first 8 frames of the creation site")
	void key_namesTypeFrameSourceAndAtMostEightCreationFrames() {
		IOException failure = new IOException("disk full");
		failure.setStackTrace(new StackTraceElement[] { frame("Orders", 1) });
		assertThat(UnobservedFailureDetector.key(new UnobservedFailure(failure, "main", "d", null)))
			.isEqualTo("java.io.IOException@Orders.m(Orders.java:1)@main");
		Throwable shortSite = new Throwable("site");
		shortSite.setStackTrace(new StackTraceElement[] { frame("A", 1), frame("B", 2) });
		assertThat(UnobservedFailureDetector.key(new UnobservedFailure(failure, "main", "d", shortSite)))
			.isEqualTo("java.io.IOException@Orders.m(Orders.java:1)@main@A.m(A.java:1);B.m(B.java:2);");
		Throwable longSite = new Throwable("site");
		StackTraceElement[] ten = new StackTraceElement[10];
		for (int i = 0; i < ten.length; i++) {
			ten[i] = frame("F" + i, i);
		}
		longSite.setStackTrace(ten);
		String key = UnobservedFailureDetector.key(new UnobservedFailure(failure, "main", "d", longSite));
		assertThat(key).endsWith("@F0.m(F0.java:0);F1.m(F1.java:1);F2.m(F2.java:2);F3.m(F3.java:3);F4.m(F4.java:4);"
				+ "F5.m(F5.java:5);F6.m(F6.java:6);F7.m(F7.java:7);");
	}

	private static StackTraceElement frame(String type, int line) {
		return new StackTraceElement(type, "m", type + ".java", line);
	}

	@Test
	@DisplayName("GC-1: without a creation site the log line carries the failure itself; GC-8: with one, a report of both")
	void log_attachesTheFailureOrTheCreationSiteReport() {
		IOException failure = new IOException("disk full");
		this.detector.report(new UnobservedFailure(failure, "plain", "LoopFuture[x](failed: IOException: disk full)", null));
		Throwable site = new Throwable("future created here");
		IOException traced = new IOException("traced");
		this.detector.report(new UnobservedFailure(traced, "traced", "LoopFuture[y](failed: IOException: traced)", site));
		List<ILoggingEvent> events = this.log.events();
		assertThat(events).hasSize(2);
		assertThat(events.get(0).getFormattedMessage()).isEqualTo("Future exception was never retrieved: "
				+ "LoopFuture[x](failed: IOException: disk full) (source plain); set eddy.unobserved.level=TRACED (or"
				+ " UnobservedFailureDetector.Level.TRACED) to record where failed futures are created");
		assertThat(events.get(0).getThrowableProxy().getClassName()).isEqualTo("java.io.IOException");
		assertThat(events.get(1).getFormattedMessage()).endsWith("(source traced); the future was created at the place"
				+ " shown as the cause, the failure is shown as suppressed");
		assertThat(events.get(1).getThrowableProxy().getClassName())
			.isEqualTo(UnobservedFailureDetector.CreationSiteReport.class.getName());
		assertThat(events.get(1).getThrowableProxy().getCause().getMessage()).isEqualTo("future created here");
		assertThat(this.detector.reportedCount()).isEqualTo(2);
		assertThat(this.told).hasSize(2);
	}

	@Test
	@DisplayName("logging that throws an Error: said so, the listeners still told, nothing thrown")
	void report_loggingThrowsAnError_listenersStillTold() {
		this.detector.report(new UnobservedFailure(new MessageThrows(new AssertionError("hostile getMessage")), "s", "d", null));
		assertThat(this.told).hasSize(1);
		assertThat(this.detector.reportedCount()).isEqualTo(1);
		assertThat(this.log.messages(Level.ERROR)).contains("Logging an unobserved failure failed; the listeners are still told");
	}

	@Test
	@DisplayName("logging that throws a VirtualMachineError: the listeners told first, then it is rethrown")
	void report_loggingThrowsAVirtualMachineError_rethrownAfterTheListeners() {
		InternalError fatal = new InternalError("hostile getMessage");
		assertThatExceptionOfType(InternalError.class)
			.isThrownBy(() -> this.detector.report(new UnobservedFailure(new MessageThrows(fatal), "s", "d", null)))
			.isSameAs(fatal);
		assertThat(this.told).hasSize(1);
		assertThat(this.detector.reportedCount()).isEqualTo(1);
	}

	@Test
	@DisplayName("logging that throws OutOfMemoryError is rethrown at once")
	void report_loggingThrowsOutOfMemory_rethrown() {
		OutOfMemoryError oome = new OutOfMemoryError("simulated");
		assertThatExceptionOfType(OutOfMemoryError.class)
			.isThrownBy(() -> this.detector.report(new UnobservedFailure(new MessageThrows(oome), "s", "d", null)))
			.isSameAs(oome);
		assertThat(this.told).as("nothing more is attempted after an OutOfMemoryError").isEmpty();
	}

	@Test
	@DisplayName("a failure whose own methods throw while logged is logged as a safe copy, inside the creation-site report at TRACED")
	void log_hostileFailure_isLoggedAsASafeCopy() {
		this.detector.report(new UnobservedFailure(new MessageThrows(new IllegalStateException("no")), "plain", "d1", null));
		this.detector.report(new UnobservedFailure(new MessageThrows(new IllegalStateException("no")), "traced", "d2",
				new Throwable("future created here")));
		List<ILoggingEvent> events = this.log.events();
		assertThat(events).hasSize(2);
		assertThat(events.get(0).getFormattedMessage()).contains("(source plain)")
			.endsWith(" (the failure's own methods threw java.lang.IllegalStateException while it was logged; shown as a safe copy)");
		assertThat(events.get(0).getThrowableProxy().getClassName()).isEqualTo("dev.eddy.internal.Describe$SafeCopy");
		assertThat(events.get(1).getThrowableProxy().getClassName())
			.isEqualTo(UnobservedFailureDetector.CreationSiteReport.class.getName());
		assertThat(this.told).hasSize(2);
	}

	@Test
	@DisplayName("the reaper is a daemon thread started by the first track, and close() stops it")
	void reaper_isADaemon_andCloseStopsIt() throws Exception {
		Set<Thread> before = reapers();
		Object future = new Object();
		UnobservedFailureDetector.Tracker tracker = this.detector.track(future, new IOException("x"), "s", "l", null);
		assertThat(tracker).isNotNull();
		tracker.observed(); // nothing can reach the reaper's queue now: only close() can wake it
		Set<Thread> started = reapers();
		started.removeAll(before);
		assertThat(started).hasSize(1);
		Thread reaper = started.iterator().next();
		assertThat(reaper.isDaemon()).isTrue();
		this.detector.close();
		reaper.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(reaper.isAlive()).as("close() interrupts the reaper blocked on its queue").isFalse();
		assertThat(this.detector.track(new Object(), new IOException("y"), "s", "l", null)).as("closed: untracked").isNull();
		tracker.observed(); // idempotent: counted down once
		assertThat(this.detector.trackedCount()).isZero();
		assertThat(future).isNotNull();
	}

	private static Set<Thread> reapers() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((t) -> t.getName().startsWith(REAPER) && t.isAlive())
			.collect(Collectors.toSet());
	}

	@Test
	@DisplayName("global(): made once, lazily, and the same ever after; close() leaves it working")
	void global_isMadeOnceLazily() throws Exception {
		Field field = UnobservedFailureDetector.class.getDeclaredField("global");
		field.setAccessible(true);
		Object previous = field.get(null);
		field.set(null, null); // as in a JVM where nobody asked for it yet
		UnobservedFailureDetector made = UnobservedFailureDetector.global();
		try {
			assertThat(made).isNotNull().isNotSameAs(previous);
			assertThat(UnobservedFailureDetector.global()).isSameAs(made);
			made.close(); // ignored by the global detector
			Object future = new Object();
			assertThat(made.track(future, new IOException("x"), "s", "l", null)).isNotNull();
			assertThat(made.trackedCount()).isEqualTo(1);
			assertThat(future).isNotNull();
		}
		finally {
			if (previous != null) { // put the JVM's own back; else the one made here stays the global one
				field.set(null, previous);
				made.close();
			}
		}
	}

	@Test
	@DisplayName("toString names the level and the three counts")
	void toString_namesLevelAndCounts() {
		Object future = new Object();
		this.detector.track(future, new IOException("x"), "s", "l", null);
		this.detector.report(new UnobservedFailure(new IOException("y"), "s", "d", null));
		assertThat(this.detector).hasToString("UnobservedFailureDetector[level=SIMPLE, tracked=1, untracked=0, reported=1]");
		assertThat(future).isNotNull(); // keeps it reachable, so that it stays tracked
	}

	/** An exception whose {@code getMessage()} throws, as the logging framework calls it. */
	static final class MessageThrows extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final transient Throwable toThrow;

		MessageThrows(Throwable toThrow) {
			this.toThrow = toThrow;
		}

		@Override
		public String getMessage() {
			throw sneaky(this.toThrow);
		}

	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> RuntimeException sneaky(Throwable ex) throws E {
		throw (E) ex;
	}

}
