package dev.eddy.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.GarbageCollection;
import dev.eddy.testsupport.LogCapture;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CH-8 in {@link HandOffs}' completion: an outcome copied from a source (a
 * {@code CompletionStage} or a completed {@code LoopFuture}) into a hand-off future moves the
 * source's duty to be observed to the target, so the source is never reported once the target
 * took the failure; when the target was done already (CH-5, cancelled) nothing is copied and the
 * source keeps its duty. Seen through a detector of the test's own after garbage collection, each
 * time next to a failure that is dropped uncopied and must be reported, so that "not reported"
 * is never just "not collected yet".
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HandOffsObservationTests {

	private final List<UnobservedFailure> reports = new CopyOnWriteArrayList<>();

	private final UnobservedFailureDetector detector = UnobservedFailureDetector.builder()
		.level(UnobservedFailureDetector.Level.SIMPLE)
		.listener(this.reports::add)
		.build();

	private final DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("observed")
		.unobservedFailureDetector(this.detector)
		.drainTimeout(Duration.ofMillis(100))
		.onCurrentThread();

	@AfterEach
	void close() {
		this.loop.close();
		this.detector.close();
	}

	private EddyCompletableFuture<String> failedStage(Throwable failure) {
		EddyCompletableFuture<String> stage = EddyCompletableFuture.tracked(null, this.detector, "Source#call",
				EddyCompletableFuture.labelFor("Source#call"));
		stage.completeExceptionally(failure);
		return stage;
	}

	/** Copies the source's failure into a fresh hand-off future, which the test observes; nothing of it stays reachable. */
	private void copyIntoObservedTarget(Object source, Throwable failure) {
		DefaultLoopFuture<String> target = this.loop.handOffs.create();
		this.loop.handOffs.complete(target, null, failure, source);
		assertThat(target.done()).as("ROE-5: completed one iteration later").isFalse();
		assertThat(this.loop.runOnce()).isEqualTo(1);
		assertThat(target.exception()).as("copied, and observed here").isSameAs(failure);
	}

	private void copyStage(String message) {
		IllegalStateException failure = new IllegalStateException(message);
		copyIntoObservedTarget(failedStage(failure), failure);
	}

	private void dropStage(String message) {
		assertThat(failedStage(new IllegalStateException(message)).isCompletedExceptionally()).isTrue();
	}

	private void copyCompletedLoopFuture(String message) {
		IllegalStateException failure = new IllegalStateException(message);
		LoopFuture<String> completed = LoopFuture.failed(failure); // on the loop's thread: tracked by its detector
		assertThat(completed).isInstanceOf(CompletedLoopFuture.class);
		copyIntoObservedTarget(completed, failure);
	}

	private void dropCompletedLoopFuture(String message) {
		assertThat(LoopFuture.failed(new IllegalStateException(message)).done()).isTrue();
	}

	private List<String> reportedMessages(int expected) {
		GarbageCollection.awaitReports(this.reports, expected);
		GarbageCollection.settle();
		return this.reports.stream().map((report) -> report.exception().getMessage()).toList();
	}

	@Test
	@DisplayName("CH-8: a failed CompletionStage copied into a hand-off future is observed; one dropped uncopied is reported")
	void copiedStage_isObserved() {
		copyStage("copied");
		dropStage("dropped");
		assertThat(reportedMessages(1)).containsExactly("dropped");
	}

	@Test
	@DisplayName("CH-8: a failed completed LoopFuture copied into a hand-off future is observed; one dropped uncopied is reported")
	void copiedCompletedLoopFuture_isObserved() {
		copyCompletedLoopFuture("copied completed");
		dropCompletedLoopFuture("dropped completed");
		assertThat(reportedMessages(1)).containsExactly("dropped completed");
	}

	@Test
	@DisplayName("CH-5, CH-8: an outcome for a target cancelled meanwhile is not copied: the source keeps its duty and is reported")
	void targetAlreadyDone_sourceKeepsItsDuty() {
		notCopiedIntoCancelledTarget("kept");
		copyStage("copied");
		assertThat(reportedMessages(1)).containsExactly("kept");
	}

	private void notCopiedIntoCancelledTarget(String message) {
		IllegalStateException failure = new IllegalStateException(message);
		DefaultLoopFuture<String> target = this.loop.handOffs.create();
		this.loop.handOffs.complete(target, null, failure, failedStage(failure));
		assertThat(target.cancel()).isTrue();
		assertThat(this.loop.runOnce()).as("the target's cancellation callbacks (none) and the completion").isGreaterThanOrEqualTo(1);
		assertThat(target.cancelled()).as("the outcome was dropped").isTrue();
	}

	@Test
	@DisplayName("CH-5: a failure dropped because its target was done is logged at DEBUG, naming the future; a dropped value is not")
	void droppedFailure_isLoggedAtDebug() {
		Logger logger = (Logger) LoggerFactory.getLogger("dev.eddy.loop");
		Level level = logger.getLevel();
		logger.setLevel(Level.DEBUG);
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			DefaultLoopFuture<String> failedLate = this.loop.handOffs.create();
			DefaultLoopFuture<String> succeededLate = this.loop.handOffs.create();
			IllegalStateException failure = new IllegalStateException("late");
			this.loop.handOffs.complete(failedLate, null, failure);
			this.loop.handOffs.complete(succeededLate, "late value", null);
			failedLate.cancel();
			succeededLate.cancel();
			this.loop.runOnce();
			assertThat(log.messages(Level.DEBUG).stream().filter((m) -> m.startsWith("Outcome of ")))
				.containsExactly("Outcome of " + failedLate + " dropped: the future was already done");
			assertThat(log.events().stream().filter((e) -> e.getFormattedMessage().startsWith("Outcome of ")))
				.singleElement()
				.satisfies((e) -> assertThat(e.getThrowableProxy().getMessage()).isEqualTo("late"));
		}
		finally {
			logger.setLevel(level);
		}
	}

}
