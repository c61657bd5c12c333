package dev.eddy.unobserved;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import dev.eddy.concurrent.ExcInfo;
import dev.eddy.concurrent.Futures;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.eddy.testsupport.GarbageCollection.awaitReports;
import static dev.eddy.testsupport.GarbageCollection.settle;
import static dev.eddy.testsupport.GarbageCollection.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The unobserved-failure detector: what counts as observing (GC-1..GC-6, CH-8 and DESIGN §6 for
 * CompletableFutures), precision with a known number of abandoned failures, the cap, and the
 * TRACED level. Garbage collection is driven by bounded loops of {@link System#gc()}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnobservedFailureDetectorTests {

	private static final int K = 1_000;

	private final ConcurrentLinkedQueue<UnobservedFailure> reports = new ConcurrentLinkedQueue<>();

	private UnobservedFailureDetector detector;

	private EventLoop loop;

	private Futures futures;

	@BeforeEach
	void setUp() {
		this.detector = UnobservedFailureDetector.builder().listener(this.reports::add).build();
		this.loop = EventLoop.builder("gc").unobservedFailureDetector(this.detector).onCurrentThread();
		this.futures = Futures.of(this.loop);
	}

	@AfterEach
	void tearDown() {
		this.loop.close();
		this.detector.close();
	}

	// ---------------------------------------------------------------- precision

	@Test
	@DisplayName("GC-1: exactly K abandoned failures give exactly K listener reports")
	void abandonedFailures_areReportedExactlyOnceEach() {
		abandonFailures(K);
		awaitReports(this.reports, K);
		settle();
		assertThat(this.reports).hasSize(K);
		assertThat(this.detector.reportedCount()).isEqualTo(K);
		assertThat(this.detector.untrackedCount()).isZero();
		assertThat(this.detector.trackedCount()).isZero();
		UnobservedFailure first = this.reports.peek();
		assertThat(first.exception()).isInstanceOf(IOException.class).hasMessageStartingWith("abandoned ");
		assertThat(first.source()).isEqualTo("gc");
		assertThat(first.description()).startsWith("LoopFuture[loop=gc](failed: IOException: abandoned ");
		assertThat(first.creationSite()).isNull();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("observingWays")
	@DisplayName("GC-3/GC-4/CH-8: K failures observed in one way give no report")
	void observedFailures_areNeverReported(String way, Consumer<LoopFuture<String>> observe) {
		for (int i = 0; i < K; i++) {
			LoopFuture<String> future = this.loop.newFuture();
			future.setException(new IOException("observed " + i));
			observe.accept(future);
		}
		this.loop.runUntilIdle();
		assertThat(this.detector.trackedCount()).as("live trackers after observing").isZero();
		settle();
		assertThat(this.reports).isEmpty();
	}

	static Stream<Arguments> observingWays() {
		return Stream.of(
				Arguments.of("result()", (Consumer<LoopFuture<String>>) (f) -> swallow(f::result)),
				Arguments.of("exception()", (Consumer<LoopFuture<String>>) LoopFuture::exception),
				Arguments.of("excInfo()", (Consumer<LoopFuture<String>>) LoopFuture::excInfo),
				Arguments.of("cancel() on the failed future (GC-4)", (Consumer<LoopFuture<String>>) LoopFuture::cancel),
				Arguments.of("a done-callback that calls exception() (GC-5 idiom)",
						(Consumer<LoopFuture<String>>) (f) -> f.addDoneCallback(LoopFuture::exception)));
	}

	@Test
	@DisplayName("CH-8: chaining observes the source and moves the duty to the target")
	void chain_movesTheDutyToTheTarget() {
		for (int i = 0; i < K; i++) {
			LoopFuture<String> source = this.loop.newFuture();
			source.setException(new IOException("chained " + i));
			LoopFuture<String> target = this.loop.newFuture();
			this.futures.chain(source, target);
			if (i % 2 == 0) {
				target.exception(); // half the targets are observed
			}
		}
		this.loop.runUntilIdle();
		awaitReports(this.reports, K / 2);
		settle();
		assertThat(this.reports).hasSize(K / 2)
			.allSatisfy((report) -> assertThat(report.exception()).hasMessageStartingWith("chained "));
	}

	@Test
	@DisplayName("CH-8: a target already done leaves the duty with the source")
	void chain_intoDoneTarget_leavesTheDutyWithTheSource() {
		failAndChainIntoDoneTarget();
		this.loop.runUntilIdle();
		awaitReports(this.reports, 1);
		settle();
		assertThat(this.reports).singleElement()
			.satisfies((report) -> assertThat(report.exception()).hasMessage("source keeps its duty"));
	}

	private void failAndChainIntoDoneTarget() {
		LoopFuture<String> source = this.loop.newFuture();
		source.setException(new IOException("source keeps its duty"));
		LoopFuture<String> target = this.loop.newFuture();
		target.setResult("already");
		this.futures.chain(source, target);
	}

	@Test
	@DisplayName("GC-2: results, pending and cancelled futures are never reported, and successes create no tracker")
	void nonFailures_createNoTrackerAndNoReport() {
		List<LoopFuture<String>> kept = new ArrayList<>();
		for (int i = 0; i < K; i++) {
			LoopFuture<String> succeeded = this.loop.newFuture();
			succeeded.setResult("ok");
			LoopFuture<String> cancelled = this.loop.newFuture();
			cancelled.cancel("no");
			kept.add(succeeded);
			kept.add(cancelled);
			kept.add(this.loop.newFuture());
		}
		assertThat(this.detector.trackedCount()).as("trackers while 3K non-failed futures are alive").isZero();
		kept.clear();
		settle();
		assertThat(this.reports).isEmpty();
		assertThat(this.detector.reportedCount()).isZero();
	}

	@Test
	@DisplayName("GC-5: done(), cancelled(), toString() and a callback that only calls done() do not observe")
	void nonObservingCalls_leaveTheFailureReported() {
		touchWithoutObserving();
		this.loop.runUntilIdle();
		awaitReports(this.reports, 1);
		settle();
		assertThat(this.reports).singleElement()
			.satisfies((report) -> assertThat(report.exception()).hasMessage("only touched"));
	}

	private void touchWithoutObserving() {
		LoopFuture<String> future = this.loop.newFuture();
		future.addDoneCallback(LoopFuture::done);
		future.setException(new IOException("only touched"));
		assertThat(future.done()).isTrue();
		assertThat(future.cancelled()).isFalse();
		assertThat(future.toString()).contains("only touched");
	}

	@Test
	@DisplayName("GC-5: result() or exception() called before the failure do not observe it")
	void observingWhilePending_doesNotCount() {
		failAfterEarlyReads();
		awaitReports(this.reports, 1);
		settle();
		assertThat(this.reports).hasSize(1);
	}

	private void failAfterEarlyReads() {
		LoopFuture<String> future = this.loop.newFuture();
		swallow(future::result);
		swallow(future::exception);
		future.setException(new IOException("too early"));
	}

	@Test
	@DisplayName("GC-6: a failed future whose callback is still queued is not reported until the loop ran it")
	void queuedCallback_keepsTheFutureAlive() {
		failWithQueuedCallback();
		for (int i = 0; i < 5; i++) {
			System.gc();
			sleep(20);
		}
		assertThat(this.reports).as("reports while the callback is queued").isEmpty();
		assertThat(this.detector.trackedCount()).isEqualTo(1);
		this.loop.runUntilIdle();
		awaitReports(this.reports, 1);
		assertThat(this.reports).hasSize(1);
	}

	private void failWithQueuedCallback() {
		LoopFuture<String> future = this.loop.newFuture();
		future.addDoneCallback((done) -> {
		});
		future.setException(new IOException("queued"));
	}

	@Test
	@DisplayName("GC-1: one log line on dev.eddy.unobserved naming the future and how to turn on TRACED")
	void report_isLoggedWithTheFutureAndTheTracedHint() {
		try (LogCapture log = LogCapture.of(UnobservedFailureDetector.LOGGER_NAME)) {
			abandonFailures(1);
			awaitReports(this.reports, 1);
			assertThat(log.messages(Level.ERROR)).singleElement()
				.isEqualTo("Future exception was never retrieved: LoopFuture[loop=gc](failed: IOException: abandoned 0)"
						+ " (source gc); set eddy.unobserved.level=TRACED (or UnobservedFailureDetector.Level.TRACED)"
						+ " to record where failed futures are created");
			assertThat(log.events().get(0).getThrowableProxy().getMessage()).isEqualTo("abandoned 0");
		}
	}

	@Test
	@DisplayName("Logging is de-duplicated and rate-limited; listeners see every report")
	void flood_isCountedInFullButLoggedSparingly() {
		try (LogCapture log = LogCapture.of(UnobservedFailureDetector.LOGGER_NAME)) {
			abandonFailures(K);
			awaitReports(this.reports, K);
			assertThat(this.reports).hasSize(K);
			assertThat(log.messages(Level.ERROR)).hasSizeLessThanOrEqualTo(2);
		}
	}

	// ---------------------------------------------------------------- CompletableFutures handed out by Eddy

	@ParameterizedTest(name = "{0}")
	@MethodSource("observingCompletableFutureWays")
	@DisplayName("Eddy-handed CompletableFuture: K failures observed in one way give no report")
	void observedCompletableFutures_areNeverReported(String way, Consumer<CompletableFuture<String>> observe) {
		for (int i = 0; i < K; i++) {
			LoopFuture<String> future = this.loop.newFuture();
			CompletableFuture<String> view = future.toCompletableFuture();
			future.setException(new IOException("observed view " + i));
			this.loop.runUntilIdle();
			assertThat(view).isCompletedExceptionally();
			observe.accept(view);
		}
		this.loop.runUntilIdle();
		assertThat(this.detector.trackedCount()).as("live trackers after observing").isZero();
		settle();
		assertThat(this.reports).isEmpty();
	}

	static Stream<Arguments> observingCompletableFutureWays() {
		return Stream.of(
				Arguments.of("join()", (Consumer<CompletableFuture<String>>) (f) -> swallow(f::join)),
				Arguments.of("get()", (Consumer<CompletableFuture<String>>) (f) -> swallow(() -> {
					try {
						return f.get();
					}
					catch (InterruptedException | ExecutionException ex) {
						throw new IllegalStateException(ex);
					}
				})),
				Arguments.of("get(timeout)", (Consumer<CompletableFuture<String>>) (f) -> swallow(() -> {
					try {
						return f.get(1, TimeUnit.SECONDS);
					}
					catch (InterruptedException | ExecutionException | TimeoutException ex) {
						throw new IllegalStateException(ex);
					}
				})),
				Arguments.of("getNow()", (Consumer<CompletableFuture<String>>) (f) -> swallow(() -> f.getNow("x"))),
				Arguments.of("whenComplete()", (Consumer<CompletableFuture<String>>) (f) -> f.whenComplete((v, t) -> {
				})),
				Arguments.of("handle()", (Consumer<CompletableFuture<String>>) (f) -> f.handle((v, t) -> "handled")),
				Arguments.of("exceptionally()", (Consumer<CompletableFuture<String>>) (f) -> f.exceptionally((t) -> "x")),
				Arguments.of("thenApply() then join() on the dependent",
						(Consumer<CompletableFuture<String>>) (f) -> swallow(f.thenApply(String::length)::join)),
				Arguments.of("Futures.allOf() then join()", (Consumer<CompletableFuture<String>>) (f) -> swallow(
						Futures.of(EventLoop.current()).allOf(f)::join)));
	}

	@Test
	@DisplayName("Eddy-handed CompletableFuture: a failure and a failed then* dependent abandoned are reported once")
	void abandonedCompletableFutures_areReported() {
		abandonView("view abandoned", false);
		abandonView("dependent abandoned", true);
		awaitReports(this.reports, 2);
		settle();
		assertThat(this.reports).hasSize(2)
			.extracting((report) -> report.exception().getMessage())
			.containsExactlyInAnyOrder("view abandoned", "dependent abandoned");
		assertThat(this.reports).allSatisfy((report) -> assertThat(report.description()).startsWith("CompletableFuture["));
	}

	private void abandonView(String message, boolean throughDependent) {
		LoopFuture<String> future = this.loop.newFuture();
		CompletableFuture<String> view = future.toCompletableFuture();
		if (throughDependent) {
			view.thenApply(String::length); // the duty moves to this dependent, which is dropped
		}
		future.setException(new IOException(message));
		this.loop.runUntilIdle();
	}

	@Test
	@DisplayName("Eddy-handed CompletableFuture: isDone() and isCompletedExceptionally() do not observe")
	void completableFutureStateQueries_doNotObserve() {
		queryViewState();
		awaitReports(this.reports, 1);
		assertThat(this.reports).hasSize(1);
	}

	private void queryViewState() {
		LoopFuture<String> future = this.loop.newFuture();
		CompletableFuture<String> view = future.toCompletableFuture();
		future.setException(new IOException("queried"));
		this.loop.runUntilIdle();
		assertThat(view.isDone()).isTrue();
		assertThat(view.isCompletedExceptionally()).isTrue();
	}

	// ---------------------------------------------------------------- levels, cap, listeners

	@Test
	@DisplayName("GC-8: TRACED records the creation site, which names this test method")
	void traced_recordsTheCreationSite() {
		UnobservedFailureDetector traced = UnobservedFailureDetector.builder()
			.level(UnobservedFailureDetector.Level.TRACED)
			.listener(this.reports::add)
			.build();
		this.loop.close(); // one loop per thread: make room for the traced one
		EventLoop tracedLoop = EventLoop.builder("traced").unobservedFailureDetector(traced).onCurrentThread();
		try {
			createAndAbandonTraced(tracedLoop);
			awaitReports(this.reports, 1);
			UnobservedFailure report = this.reports.peek();
			assertThat(report.creationSite()).isNotNull();
			assertThat(report.creationSite().getStackTrace()).anySatisfy((frame) -> {
				assertThat(frame.getClassName()).isEqualTo(UnobservedFailureDetectorTests.class.getName());
				assertThat(frame.getMethodName()).isEqualTo("createAndAbandonTraced");
			});
		}
		finally {
			tracedLoop.close();
			traced.close();
		}
	}

	private void createAndAbandonTraced(EventLoop tracedLoop) {
		LoopFuture<String> future = tracedLoop.newFuture();
		future.setException(new IOException("traced"));
	}

	@Test
	@DisplayName("DISABLED tracks and reports nothing")
	void disabled_tracksNothing() {
		UnobservedFailureDetector disabled = UnobservedFailureDetector.builder()
			.level(UnobservedFailureDetector.Level.DISABLED)
			.listener(this.reports::add)
			.build();
		this.loop.close();
		EventLoop quiet = EventLoop.builder("quiet").unobservedFailureDetector(disabled).onCurrentThread();
		try {
			for (int i = 0; i < 10; i++) {
				LoopFuture<String> future = quiet.newFuture();
				future.setException(new IOException("ignored"));
			}
			disabled.reportNow(new IOException("void"), "Demo#run", "void method");
			assertThat(disabled.trackedCount()).isZero();
			settle();
			assertThat(this.reports).isEmpty();
		}
		finally {
			quiet.close();
		}
	}

	@Test
	@DisplayName("Past maxTracked, failures are counted as untracked instead of tracked")
	void cap_countsWhatIsNotTracked() {
		UnobservedFailureDetector capped = UnobservedFailureDetector.builder().maxTracked(100).listener(this.reports::add).build();
		this.loop.close();
		EventLoop cappedLoop = EventLoop.builder("capped").unobservedFailureDetector(capped).onCurrentThread();
		try {
			List<LoopFuture<String>> kept = new ArrayList<>();
			for (int i = 0; i < 150; i++) {
				LoopFuture<String> future = cappedLoop.newFuture();
				future.setException(new IOException("capped " + i));
				kept.add(future);
			}
			assertThat(capped.trackedCount()).isEqualTo(100);
			assertThat(capped.untrackedCount()).isEqualTo(50);
			kept.clear();
			awaitReports(this.reports, 100);
			settle();
			assertThat(this.reports).hasSize(100);
			assertThat(capped.trackedCount()).isZero();
		}
		finally {
			cappedLoop.close();
			capped.close();
		}
	}

	@Test
	@DisplayName("reportNow reports at once, and a failing listener does not stop the others")
	void reportNow_reachesEveryListener() {
		this.detector.addListener((failure) -> {
			throw new IllegalStateException("listener bug");
		});
		List<UnobservedFailure> second = new ArrayList<>();
		this.detector.addListener(second::add);
		IOException failure = new IOException("void method failed");
		this.detector.reportNow(failure, "OrderService#notify", "void @RunOnExecutor method");
		assertThat(this.reports).singleElement().satisfies((report) -> {
			assertThat(report.exception()).isSameAs(failure);
			assertThat(report.source()).isEqualTo("OrderService#notify");
		});
		assertThat(second).hasSize(1);
	}

	@Test
	@DisplayName("LoopFuture.failed(t) is tracked like any other failure")
	void failedFactory_isTracked() {
		abandonFailedFactory();
		awaitReports(this.reports, 1);
		assertThat(this.reports).singleElement()
			.satisfies((report) -> assertThat(report.description()).isEqualTo("LoopFuture[completed](failed: IOException: factory)"));
	}

	private void abandonFailedFactory() {
		LoopFuture.<String>failed(new IOException("factory"));
	}

	@Test
	void builder_rejectsNonPositiveMaxTracked() {
		assertThatIllegalArgumentException().isThrownBy(() -> UnobservedFailureDetector.builder().maxTracked(0))
			.withMessage("'maxTracked' must be positive, was 0");
	}

	@Test
	void setExcInfo_failureIsTrackedToo() {
		abandonExcInfo();
		awaitReports(this.reports, 1);
		assertThat(this.reports).hasSize(1);
	}

	private void abandonExcInfo() {
		LoopFuture<String> future = this.loop.newFuture();
		future.setExcInfo(ExcInfo.of(new IOException("exc_info")));
	}

	// ---------------------------------------------------------------- helpers

	private void abandonFailures(int count) {
		for (int i = 0; i < count; i++) {
			LoopFuture<String> future = this.loop.newFuture();
			future.setException(new IOException("abandoned " + i));
		}
	}

	private static void swallow(java.util.function.Supplier<?> call) {
		try {
			call.get();
		}
		catch (RuntimeException ex) {
			// the call observed the failure by throwing it
		}
	}

}
