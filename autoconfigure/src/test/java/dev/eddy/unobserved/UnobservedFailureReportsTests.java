package dev.eddy.unobserved;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How one report reaches the log and every listener, whatever the user's exception and the
 * listeners throw (GC-1: every unobserved failure is reported once; GC-8: the TRACED log shows the
 * creation site), and how the log's de-duplication keeps distinct failures apart. Reports are made
 * directly (no garbage collection): the reaper calls the same method.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnobservedFailureReportsTests {

	private final List<UnobservedFailure> seen = new CopyOnWriteArrayList<>();

	private final List<UnobservedFailureDetector> detectors = new ArrayList<>();

	@AfterEach
	void tearDown() {
		this.detectors.forEach(UnobservedFailureDetector::close);
	}

	private UnobservedFailureDetector detector(UnobservedFailureListener... listeners) {
		UnobservedFailureDetector.Builder builder = UnobservedFailureDetector.builder();
		for (UnobservedFailureListener listener : listeners) {
			builder.listener(listener);
		}
		UnobservedFailureDetector detector = builder.build();
		this.detectors.add(detector);
		return detector;
	}

	// ---------------------------------------------------------------- listeners

	@Test
	@DisplayName("GC-1: a listener that throws an Error does not stop the later listeners")
	void report_listenerThrowsError_laterListenersStillTold() {
		UnobservedFailureDetector detector = detector((failure) -> {
			throw new AssertionError("listener bug");
		}, this.seen::add);
		try (LogCapture log = LogCapture.of(UnobservedFailureDetector.LOGGER_NAME)) {
			detector.reportNow(new IOException("lost?"), "Demo#run", "void method");
			assertThat(this.seen).singleElement().satisfies((failure) -> assertThat(failure.exception()).hasMessage("lost?"));
			assertThat(detector.reportedCount()).isEqualTo(1);
			assertThat(log.messages(Level.ERROR)).anySatisfy((line) -> assertThat(line)
				.startsWith("UnobservedFailureListener ").endsWith(" failed; the next listeners are still told"));
		}
	}

	@Test
	@DisplayName("GC-1: a VirtualMachineError from a listener is rethrown, but only after every listener was told")
	void report_listenerThrowsVirtualMachineError_rethrownAfterTheOthers() {
		StackOverflowError overflow = new StackOverflowError("deep listener");
		UnobservedFailureDetector detector = detector((failure) -> {
			throw overflow;
		}, this.seen::add);
		assertThatThrownBy(() -> detector.reportNow(new IOException("x"), "Demo#run", "void method")).isSameAs(overflow);
		assertThat(this.seen).hasSize(1);
		assertThat(detector.reportedCount()).isEqualTo(1);
	}

	// ---------------------------------------------------------------- hostile exceptions

	@Test
	@DisplayName("GC-1: an exception whose getMessage() throws is counted, logged and told to every listener")
	void report_getMessageThrows_stillCountedLoggedAndTold() {
		UnobservedFailureDetector detector = detector(this.seen::add);
		RuntimeException hostile = new HostileMessage();
		try (LogCapture log = LogCapture.of(UnobservedFailureDetector.LOGGER_NAME)) {
			detector.reportNow(hostile, "Demo#run", "void method");
			assertThat(this.seen).singleElement().satisfies((failure) -> assertThat(failure.exception()).isSameAs(hostile));
			assertThat(detector.reportedCount()).isEqualTo(1);
			assertThat(log.messages(Level.ERROR)).anySatisfy((line) -> assertThat(line)
				.startsWith("Future exception was never retrieved: void method (source Demo#run)"));
		}
	}

	@Test
	@DisplayName("GC-1: an exception whose toString() throws still reaches the listeners, and the log shows a safe copy")
	void report_toStringThrows_stillReachesTheListeners() {
		UnobservedFailureDetector detector = detector(this.seen::add);
		RuntimeException hostile = new HostileToString();
		try (LogCapture log = LogCapture.of(UnobservedFailureDetector.LOGGER_NAME)) {
			detector.reportNow(hostile, "Demo#run", "void method");
			assertThat(this.seen).singleElement().satisfies((failure) -> assertThat(failure.exception()).isSameAs(hostile));
			assertThat(log.events()).anySatisfy((event) -> {
				assertThat(event.getFormattedMessage()).startsWith("Future exception was never retrieved: void method");
				assertThat(event.getThrowableProxy()).isNotNull();
			});
		}
	}

	@Test
	@DisplayName("GC-1: a tracked exception whose getMessage() throws and whose cause is cyclic is described safely")
	void trackerFailure_hostileException_isDescribedSafely() {
		UnobservedFailureDetector detector = detector(this.seen::add);
		CyclicCause hostile = new CyclicCause();
		Object future = new Object();
		UnobservedFailureDetector.Tracker tracker = Objects.requireNonNull(
				detector.track(future, hostile, "main", "LoopFuture[loop=main]", null));
		UnobservedFailure failure = tracker.failure();
		assertThat(failure.description())
			.isEqualTo("LoopFuture[loop=main](failed: CyclicCause: (getMessage threw java.lang.IllegalStateException))");
		detector.report(failure);
		assertThat(this.seen).containsExactly(failure);
		tracker.observed();
		assertThat(future).isNotNull(); // reachable until here: the tracker is not queued meanwhile
	}

	// ---------------------------------------------------------------- TRACED

	@Test
	@DisplayName("GC-8: at TRACED the logged throwable shows the failure's own frames (suppressed) and the creation site (cause)")
	void report_traced_logsTheFailureAndTheCreationSite() {
		UnobservedFailureDetector detector = detector(this.seen::add);
		IOException failure = throwFromHere();
		Throwable site = new UnobservedFailureDetector.CreationSite();
		try (LogCapture log = LogCapture.of(UnobservedFailureDetector.LOGGER_NAME)) {
			detector.report(new UnobservedFailure(failure, "main", "LoopFuture[loop=main](failed: IOException: boom)", site));
			IThrowableProxy logged = log.events().get(0).getThrowableProxy();
			assertThat(logged.getCause().getMessage()).isEqualTo("future created here");
			assertThat(logged.getSuppressed()).singleElement().satisfies((suppressed) -> {
				assertThat(suppressed.getClassName()).isEqualTo(IOException.class.getName());
				assertThat(suppressed.getMessage()).isEqualTo("boom");
				assertThat(suppressed.getStackTraceElementProxyArray()[0].getStackTraceElement().getMethodName())
					.isEqualTo("throwFromHere");
			});
		}
	}

	private static IOException throwFromHere() {
		try {
			throw new IOException("boom");
		}
		catch (IOException ex) {
			return ex;
		}
	}

	// ---------------------------------------------------------------- de-duplication

	@Test
	@DisplayName("GC-1: two distinct bugs throwing the same type on the same loop are both logged")
	void log_sameTypeSameSourceDifferentFrame_bothLogged() {
		UnobservedFailureDetector detector = detector();
		try (LogCapture log = LogCapture.of(UnobservedFailureDetector.LOGGER_NAME)) {
			detector.reportNow(firstBug(), "main", "LoopFuture[loop=main](failed: IllegalStateException: first)");
			detector.reportNow(secondBug(), "main", "LoopFuture[loop=main](failed: IllegalStateException: second)");
			assertThat(log.events()).extracting((event) -> event.getThrowableProxy().getMessage())
				.containsExactly("first", "second");
		}
	}

	private static IllegalStateException firstBug() {
		return new IllegalStateException("first");
	}

	private static IllegalStateException secondBug() {
		return new IllegalStateException("second");
	}

	@Test
	@DisplayName("GC-1: a flood from one place is logged once, and the held-back count is logged at the latest on close")
	void log_floodFromOnePlace_summaryLoggedOnClose() {
		UnobservedFailureDetector detector = detector(this.seen::add);
		try (LogCapture log = LogCapture.of(UnobservedFailureDetector.LOGGER_NAME)) {
			for (int i = 0; i < 1_000; i++) {
				detector.reportNow(firstBug(), "main", "flood " + i);
			}
			assertThat(this.seen).hasSize(1_000);
			assertThat(log.messages(Level.ERROR)).hasSize(1);
			detector.close();
			assertThat(log.messages(Level.ERROR)).last()
				.isEqualTo("999 similar error(s) were not logged in the last window (logging is rate-limited and "
						+ "de-duplicated; the counters count every one)");
			List<ILoggingEvent> events = log.events();
			assertThat(events).hasSize(2);
		}
	}

	static final class HostileMessage extends RuntimeException {

		@Override
		public String getMessage() {
			throw new IllegalStateException("getMessage is broken");
		}

	}

	static final class HostileToString extends RuntimeException {

		HostileToString() {
			super("fine message");
		}

		@Override
		public String toString() {
			throw new IllegalStateException("toString is broken");
		}

	}

	static final class CyclicCause extends RuntimeException {

		private final RuntimeException other = new RuntimeException("other") {
			@Override
			public synchronized Throwable getCause() {
				return CyclicCause.this;
			}
		};

		@Override
		public String getMessage() {
			throw new IllegalStateException("broken");
		}

		@Override
		public synchronized Throwable getCause() {
			return this.other;
		}

		@Override
		public String toString() {
			return "CyclicCause(" + this.other + ")"; // recurses without end through the cause
		}

	}

}
