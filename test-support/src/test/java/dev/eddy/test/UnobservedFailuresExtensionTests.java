package dev.eddy.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/**
 * {@link FailOnUnobservedFailures} run on inner test classes through JUnit's {@code EngineTestKit}:
 * it fails a test that drops a failed future (GC-1: reported at collection) and passes one that
 * observes it (GC-4: observed failures are never reported).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnobservedFailuresExtensionTests {

	@Test
	void droppedFailedFuture_failsTheTestNamingFailureAndSource() {
		EngineExecutionResults results = InnerTests.run(DropsAFailedFuture.class);

		results.testEvents().assertStatistics((stats) -> stats.started(1).failed(1).succeeded(0));
		Throwable failure = onlyFailure(results);
		assertThat(failure).isInstanceOf(AssertionFailedError.class)
			.hasMessageStartingWith("1 failed future was dropped during this test without anyone observing the failure:\n"
					+ "  1. java.lang.IllegalStateException: dropped on purpose from source '")
			.hasMessageContaining("LoopFuture[completed](failed: IllegalStateException: dropped on purpose)")
			.hasMessageContaining("set eddy.unobserved.level=TRACED");
		assertThat(failure.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("dropped on purpose");
	}

	@Test
	void observedFailedFuture_passes() {
		EngineExecutionResults results = InnerTests.run(ObservesAFailedFuture.class);

		results.testEvents().assertStatistics((stats) -> stats.started(1).succeeded(1).failed(0));
	}

	@Test
	void failureDroppedOnALoopThread_namesTheLoopAsSource() {
		EngineExecutionResults results = InnerTests.run(DropsAFailureOnALoop.class);

		results.testEvents()
			.assertThatEvents()
			.haveExactly(1, event(test("dropsOnLoop"), finishedWithFailure(instanceOf(AssertionFailedError.class),
					message((text) -> text.startsWith("2 failed futures were dropped")
							&& text.contains("java.io.UncheckedIOException: java.io.IOException: disk full from source 'inner-loop'")
							&& text.contains("java.lang.IllegalArgumentException: bad symbol from source 'inner-loop'")))));
		Throwable failure = onlyFailure(results);
		assertThat(failure.getSuppressed()).hasSize(1);
	}

	@Test
	void failureDroppedBeforeTheTest_isNotChargedToIt() {
		EngineExecutionResults results = InnerTests.run(DropsBeforeAnAnnotatedTest.class);

		results.testEvents().assertStatistics((stats) -> stats.started(2).succeeded(2).failed(0));
	}

	@Test
	void nonPositiveCollectTimeout_failsNamingTheAttribute() {
		EngineExecutionResults results = InnerTests.run(BadTimeout.class);

		assertThat(onlyFailure(results)).hasMessage("'collectTimeoutMillis' of @FailOnUnobservedFailures must be positive, was 0");
	}

	private static Throwable onlyFailure(EngineExecutionResults results) {
		List<Event> failed = results.testEvents().failed().list();
		assertThat(failed).hasSize(1);
		return failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
			.flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
			.orElseThrow();
	}

	@InnerTest
	@FailOnUnobservedFailures
	static class DropsAFailedFuture {

		@Test
		void drops() {
			LoopFuture.failed(new IllegalStateException("dropped on purpose")); // nobody looks at it
		}

	}

	@InnerTest
	@FailOnUnobservedFailures
	static class ObservesAFailedFuture {

		@Test
		void observes() {
			LoopFuture<String> future = LoopFuture.failed(new IllegalStateException("observed on purpose"));
			assertThat(future.exception()).hasMessage("observed on purpose");
		}

	}

	@InnerTest
	@FailOnUnobservedFailures
	static class DropsAFailureOnALoop {

		@Test
		void dropsOnLoop() throws Exception {
			try (EventLoop loop = EventLoop.create("inner-loop")) {
				loop.runSync(() -> {
					LoopFuture<String> one = loop.newFuture();
					one.setException(new java.io.UncheckedIOException(new java.io.IOException("disk full")));
					LoopFuture<String> two = loop.newFuture();
					two.setException(new IllegalArgumentException("bad symbol"));
					return LoopFuture.completed("done");
				}, Duration.ofSeconds(5));
			}
		}

	}

	@InnerTest
	@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
	static class DropsBeforeAnAnnotatedTest {

		@Test
		@Order(1)
		void unwatchedTestDrops() {
			LoopFuture.failed(new IllegalStateException("dropped by a test without the extension"));
		}

		@Test
		@Order(2)
		@FailOnUnobservedFailures
		void watchedTestDropsNothing() {
			assertThat(LoopFuture.completed(1).result()).isEqualTo(1);
		}

	}

	@InnerTest
	@FailOnUnobservedFailures(collectTimeoutMillis = 0)
	static class BadTimeout {

		@Test
		void anything() {
		}

	}

}
