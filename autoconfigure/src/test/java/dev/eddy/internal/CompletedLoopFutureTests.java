package dev.eddy.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import ch.qos.logback.classic.Level;
import dev.eddy.concurrent.ExcInfo;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.LogCapture;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.eddy.testsupport.GarbageCollection.awaitReports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code LoopFuture.completed}/{@code failed} without Spring: which calls observe a failure
 * born done (GC-3, GC-4, GC-5), whose detector and source a failure and its
 * {@code CompletableFuture} view are tracked under, and how a done-callback introduces itself
 * in the log of a callback that throws (CB-3, CB-9). Each test drives its own
 * {@code onCurrentThread} loop with its own detector, so the counts are this test's alone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompletedLoopFutureTests {

	private final ConcurrentLinkedQueue<UnobservedFailure> reports = new ConcurrentLinkedQueue<>();

	private UnobservedFailureDetector detector;

	private EventLoop loop;

	@BeforeEach
	void setUp() {
		this.detector = UnobservedFailureDetector.builder().listener(this.reports::add).build();
		this.loop = EventLoop.builder("completed-tests").unobservedFailureDetector(this.detector).onCurrentThread();
	}

	@AfterEach
	void tearDown() {
		this.loop.close();
		this.detector.close();
	}

	@Test
	@DisplayName("GC-2: LoopFuture.failed is tracked by the current loop's detector; completed(v) is not")
	void failed_isTrackedByTheCurrentLoopsDetector() {
		LoopFuture<String> ok = LoopFuture.completed("v");
		assertThat(this.detector.trackedCount()).isZero();
		LoopFuture<String> failed = LoopFuture.failed(new IOException("disk full"));
		assertThat(this.detector.trackedCount()).isEqualTo(1);
		assertThat(ok.result()).isEqualTo("v");
		assertThat(failed.done()).isTrue();
	}

	@Test
	@DisplayName("GC-3: result() observes and throws the failure, a checked one in the same CompletionException each time")
	void result_observesAndThrows() {
		IOException failure = new IOException("disk full");
		LoopFuture<String> future = LoopFuture.failed(failure);
		Throwable first = catchThrowable(future::result);
		assertThat(this.detector.trackedCount()).as("observed by result()").isZero();
		assertThat(first).isInstanceOf(CompletionException.class).hasCause(failure);
		assertThat(catchThrowable(future::result)).isSameAs(first);
		IllegalStateException unchecked = new IllegalStateException("bad");
		assertThat(catchThrowable(LoopFuture.failed(unchecked)::result)).isSameAs(unchecked);
		assertThat(this.detector.trackedCount()).isZero();
	}

	@Test
	@DisplayName("GC-3: exception() observes and returns the failure; on a result it returns null")
	void exception_observes() {
		IOException failure = new IOException("disk full");
		LoopFuture<String> future = LoopFuture.failed(failure);
		assertThat(future.exception()).isSameAs(failure);
		assertThat(this.detector.trackedCount()).isZero();
		assertThat(LoopFuture.completed("v").exception()).isNull();
	}

	@Test
	@DisplayName("GC-3: excInfo() observes and returns the failure's info, the same each time; on a result null")
	void excInfo_observes() {
		IOException failure = new IOException("disk full");
		LoopFuture<String> future = LoopFuture.failed(failure);
		ExcInfo info = future.excInfo();
		assertThat(this.detector.trackedCount()).isZero();
		assertThat(info).isNotNull();
		assertThat(info.value()).isSameAs(failure);
		assertThat(future.excInfo()).isSameAs(info);
		assertThat(LoopFuture.completed("v").excInfo()).isNull();
	}

	@Test
	@DisplayName("GC-4: cancel() and cancel(msg) on a failed future return false and observe; on a result false")
	void cancel_onFailed_observes() {
		LoopFuture<String> first = LoopFuture.failed(new IOException("one"));
		LoopFuture<String> second = LoopFuture.failed(new IOException("two"));
		assertThat(this.detector.trackedCount()).isEqualTo(2);
		assertThat(first.cancel()).isFalse();
		assertThat(this.detector.trackedCount()).isEqualTo(1);
		assertThat(second.cancel("why")).isFalse();
		assertThat(this.detector.trackedCount()).isZero();
		assertThat(first.cancelled()).isFalse();
		LoopFuture<String> ok = LoopFuture.completed("v");
		assertThat(ok.cancel()).isFalse();
		assertThat(ok.cancel("why")).isFalse();
		assertThat(ok.cancelled()).isFalse();
	}

	@Test
	@DisplayName("GC-5: done(), cancelled(), running(), toString() and addDoneCallback do not observe")
	void nonObservingCalls_keepTheDuty() {
		LoopFuture<String> future = LoopFuture.failed(new IOException("disk full"));
		assertThat(future.done()).isTrue();
		assertThat(future.cancelled()).isFalse();
		assertThat(future.running()).isFalse();
		assertThat(future).hasToString("LoopFuture[completed](failed: IOException: disk full)");
		future.addDoneCallback((f) -> {
		});
		this.loop.runUntilIdle();
		assertThat(this.detector.trackedCount()).isEqualTo(1);
	}

	@Test
	@DisplayName("CH-8: toCompletableFuture() of a failed one moves the duty to the view, tracked by the loop's detector")
	void toCompletableFuture_movesTheDutyToTheView() {
		IOException failure = new IOException("disk full");
		LoopFuture<String> future = LoopFuture.failed(failure);
		CompletableFuture<String> view = future.toCompletableFuture();
		assertThat(this.detector.trackedCount()).as("the future observed, its view owing the failure").isEqualTo(1);
		assertThat(view.isCompletedExceptionally()).isTrue();
		assertThatExceptionOfType(CompletionException.class).isThrownBy(view::join).withCause(failure);
		assertThat(this.detector.trackedCount()).isZero();
		CompletableFuture<String> ok = LoopFuture.completed("v").toCompletableFuture();
		assertThat(ok.getNow("absent")).isEqualTo("v");
		assertThat(this.detector.trackedCount()).isZero();
	}

	@Test
	@DisplayName("GC-1: a view nobody reads is reported with the loop's name as its source and the view's label")
	void toCompletableFuture_viewNobodyReads_isReportedUnderTheLoop() {
		dropAView();
		awaitReports(this.reports, 1);
		UnobservedFailure report = this.reports.peek();
		assertThat(report.source()).isEqualTo("completed-tests");
		assertThat(report.description()).contains("CompletableFuture[source=LoopFuture.failed]");
		assertThat(report.exception()).hasMessage("never read");
	}

	private void dropAView() {
		LoopFuture.failed(new IOException("never read")).toCompletableFuture();
	}

	@Test
	@DisplayName("CB-3, CB-9: a done-callback runs on the caller's loop; its throw is logged naming the callback and the future")
	void addDoneCallback_throwingCallback_isLoggedWithTheFuture() {
		LoopFuture<Integer> future = LoopFuture.completed(7);
		List<Object> seen = new java.util.ArrayList<>();
		Consumer<LoopFuture<Integer>> callback = new Consumer<>() {

			@Override
			public void accept(LoopFuture<Integer> f) {
				seen.add(f.result());
				throw new IllegalStateException("callback fails");
			}

			@Override
			public String toString() {
				return "theCallback";
			}

		};
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			future.addDoneCallback(callback);
			assertThat(seen).as("CB-3: scheduled, not run inline").isEmpty();
			this.loop.runUntilIdle();
			assertThat(seen).containsExactly(7);
			assertThat(log.messages(Level.ERROR)).singleElement()
				.asString()
				.contains("theCallback for LoopFuture[completed](done: 7)");
		}
		assertThat(future.removeDoneCallback(callback)).isZero();
	}

}
