package dev.eddy.concurrent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.LogCapture;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.eddy.testsupport.Cancellations.original;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Behaviour of {@link Futures}, the tornado.concurrent functions (TORNADO-SEMANTICS §7-§12).
 * The test thread owns an {@code onCurrentThread} loop and drives it one iteration at a time.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FuturesTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private EventLoop loop;

	private Futures futures;

	private ExecutorService worker;

	private final List<AutoCloseable> toClose = new ArrayList<>();

	private final RuntimeException firstFailure = new IllegalStateException("first");

	@BeforeEach
	void setUp() {
		this.loop = EventLoop.onCurrentThread("test");
		this.futures = Futures.of(this.loop);
		this.worker = Executors.newSingleThreadExecutor((task) -> new Thread(task, "futures-worker"));
	}

	@AfterEach
	void tearDown() throws Exception {
		try {
			for (AutoCloseable closeable : this.toClose) {
				closeable.close();
			}
		}
		finally {
			this.worker.shutdownNow();
			assertThat(this.worker.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
			this.loop.close();
		}
	}

	private <C extends AutoCloseable> C closeLater(C closeable) {
		this.toClose.add(closeable);
		return closeable;
	}

	private void onWorker(Runnable action) throws Exception {
		this.worker.submit(action).get(5, TimeUnit.SECONDS);
	}

	/** The raw failure a done CompletableFuture holds (handle sees it unwrapped for a direct failure). */
	private static Throwable failureOf(CompletableFuture<?> future) {
		assertThat(future).isDone();
		return future.handle((value, failure) -> failure).getNow(null);
	}

	enum Done {

		RESULT, EXCEPTION, CANCELLED

	}

	private LoopFuture<String> doneLoopFuture(Done how) {
		LoopFuture<String> future = this.loop.newFuture();
		switch (how) {
			case RESULT -> future.setResult("first");
			case EXCEPTION -> {
				future.setException(this.firstFailure);
				future.exception();
			}
			case CANCELLED -> future.cancel("first");
		}
		return future;
	}

	private void assertUntouched(LoopFuture<String> future, Done how) {
		assertThat(future.done()).isTrue();
		switch (how) {
			case RESULT -> assertThat(future.result()).isEqualTo("first");
			case EXCEPTION -> assertThat(future.exception()).isSameAs(this.firstFailure);
			case CANCELLED -> {
				assertThat(future.cancelled()).isTrue();
				assertThatThrownBy(future::result).isInstanceOf(CancellationException.class).hasMessage("first");
			}
		}
	}

	private CompletableFuture<String> doneCompletableFuture(Done how) {
		CompletableFuture<String> future = new CompletableFuture<>();
		switch (how) {
			case RESULT -> future.complete("first");
			case EXCEPTION -> future.completeExceptionally(this.firstFailure);
			case CANCELLED -> future.completeExceptionally(new CancellationException("first"));
		}
		return future;
	}

	private void assertUntouched(CompletableFuture<String> future, Done how) {
		switch (how) {
			case RESULT -> assertThat(future).isCompletedWithValue("first");
			case EXCEPTION -> assertThat(failureOf(future)).isSameAs(this.firstFailure);
			case CANCELLED -> {
				assertThat(future).isCancelled();
				assertThat(original(catchThrowable(future::join))).isInstanceOf(CancellationException.class).hasMessage("first");
			}
		}
	}

	private static void assertSingleError(LogCapture capture, String message, Throwable exception) {
		List<ILoggingEvent> events = capture.events();
		assertThat(events).hasSize(1);
		ILoggingEvent event = events.get(0);
		assertThat(event.getLevel()).isEqualTo(Level.ERROR);
		assertThat(event.getFormattedMessage()).isEqualTo(message);
		assertThat(event.getThrowableProxy()).isNotNull();
		assertThat(event.getThrowableProxy().getClassName()).isEqualTo(exception.getClass().getName());
		assertThat(event.getThrowableProxy().getMessage()).isEqualTo(exception.getMessage());
	}

	// ==================================================================== chain

	@Nested
	class Chain {

		// ------------------------------------------------------------ CH-1, CH-5

		@ParameterizedTest
		@EnumSource(Done.class)
		@DisplayName("CH-1, CH-5: LoopFuture -> LoopFuture, a target already done is left untouched, silently")
		void chain_loopToLoopTargetDone_isLeftUntouched(Done how) {
			try (LogCapture futuresLog = LogCapture.of(Futures.LOGGER_NAME); LogCapture loopLog = LogCapture.of("dev.eddy.loop")) {
				LoopFuture<String> source = FuturesTests.this.loop.newFuture();
				LoopFuture<String> target = doneLoopFuture(how);
				FuturesTests.this.futures.chain(source, target);
				source.setResult("second");
				FuturesTests.this.loop.runUntilIdle();
				assertUntouched(target, how);
				assertThat(futuresLog.events()).isEmpty();
				assertThat(loopLog.events()).isEmpty();
			}
		}

		@ParameterizedTest
		@EnumSource(Done.class)
		@DisplayName("CH-1, CH-5: LoopFuture -> CompletableFuture, a target already done is left untouched, silently")
		void chain_loopToCompletableTargetDone_isLeftUntouched(Done how) {
			try (LogCapture futuresLog = LogCapture.of(Futures.LOGGER_NAME); LogCapture loopLog = LogCapture.of("dev.eddy.loop")) {
				LoopFuture<String> source = FuturesTests.this.loop.newFuture();
				CompletableFuture<String> target = doneCompletableFuture(how);
				FuturesTests.this.futures.chain(source, target);
				source.setResult("second");
				FuturesTests.this.loop.runUntilIdle();
				assertUntouched(target, how);
				assertThat(futuresLog.events()).isEmpty();
				assertThat(loopLog.events()).isEmpty();
			}
		}

		@ParameterizedTest
		@EnumSource(Done.class)
		@DisplayName("CH-1, CH-5: CompletableFuture -> LoopFuture, a target already done is left untouched, silently")
		void chain_completableToLoopTargetDone_isLeftUntouched(Done how) {
			try (LogCapture futuresLog = LogCapture.of(Futures.LOGGER_NAME); LogCapture loopLog = LogCapture.of("dev.eddy.loop")) {
				CompletableFuture<String> source = new CompletableFuture<>();
				LoopFuture<String> target = doneLoopFuture(how);
				FuturesTests.this.futures.chain(source, target);
				source.complete("second");
				FuturesTests.this.loop.runUntilIdle();
				assertUntouched(target, how);
				assertThat(futuresLog.events()).isEmpty();
				assertThat(loopLog.events()).isEmpty();
			}
		}

		@ParameterizedTest
		@EnumSource(Done.class)
		@DisplayName("CH-1, CH-5: CompletableFuture -> CompletableFuture, a target already done is left untouched, silently")
		void chain_completableToCompletableTargetDone_isLeftUntouched(Done how) {
			try (LogCapture futuresLog = LogCapture.of(Futures.LOGGER_NAME); LogCapture loopLog = LogCapture.of("dev.eddy.loop")) {
				CompletableFuture<String> source = new CompletableFuture<>();
				CompletableFuture<String> target = doneCompletableFuture(how);
				FuturesTests.this.futures.chain(source, target);
				source.complete("second");
				FuturesTests.this.loop.runUntilIdle();
				assertUntouched(target, how);
				assertThat(futuresLog.events()).isEmpty();
				assertThat(loopLog.events()).isEmpty();
			}
		}

		@Test
		@DisplayName("CH-1: LoopFuture -> LoopFuture.completed(...) target (done by construction) is left untouched, no error")
		void chain_loopToCompletedLoopFuture_isLeftUntouched() {
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			LoopFuture<String> target = LoopFuture.completed("first");
			assertThatCode(() -> FuturesTests.this.futures.chain(source, target)).doesNotThrowAnyException();
			source.setResult("second");
			assertThatCode(() -> FuturesTests.this.loop.runUntilIdle()).doesNotThrowAnyException();
			assertThat(target.result()).isEqualTo("first");
		}

		@Test
		@DisplayName("CH-1: CompletableFuture -> LoopFuture.completed(...) target (done by construction) is left untouched, no error")
		void chain_completableToCompletedLoopFuture_isLeftUntouched() {
			CompletableFuture<String> source = new CompletableFuture<>();
			LoopFuture<String> target = LoopFuture.completed("first");
			assertThatCode(() -> FuturesTests.this.futures.chain(source, target)).doesNotThrowAnyException();
			source.complete("second");
			assertThatCode(() -> FuturesTests.this.loop.runUntilIdle()).doesNotThrowAnyException();
			assertThat(target.result()).isEqualTo("first");
		}

		@Test
		@DisplayName("CH-5: a failed source whose target is already done is dropped with no error and no log")
		void chain_failedSourceIntoDoneTarget_isDroppedSilently() {
			try (LogCapture futuresLog = LogCapture.of(Futures.LOGGER_NAME); LogCapture loopLog = LogCapture.of("dev.eddy.loop")) {
				LoopFuture<String> source = FuturesTests.this.loop.newFuture();
				LoopFuture<String> target = doneLoopFuture(Done.RESULT);
				CompletableFuture<String> cfSource = new CompletableFuture<>();
				CompletableFuture<String> cfTarget = doneCompletableFuture(Done.RESULT);
				FuturesTests.this.futures.chain(source, target);
				FuturesTests.this.futures.chain(cfSource, cfTarget);
				RuntimeException second = new IllegalArgumentException("second");
				source.setException(second);
				cfSource.completeExceptionally(second);
				assertThatCode(() -> FuturesTests.this.loop.runUntilIdle()).doesNotThrowAnyException();
				assertUntouched(target, Done.RESULT);
				assertUntouched(cfTarget, Done.RESULT);
				assertThat(source.exception()).isSameAs(second); // still there, untouched
				assertThat(futuresLog.events()).isEmpty();
				assertThat(loopLog.events()).isEmpty();
			}
		}

		// ------------------------------------------------------------ CH-2

		@Test
		@DisplayName("CH-2: a done LoopFuture source copies inline into a LoopFuture target; the target's callbacks are scheduled")
		void chain_doneLoopSourceToLoop_copiesInline() {
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			source.setResult("x");
			FuturesTests.this.loop.runUntilIdle();
			LoopFuture<String> target = FuturesTests.this.loop.newFuture();
			List<String> seen = new ArrayList<>();
			target.addDoneCallback((f) -> seen.add("target " + f.result()));
			FuturesTests.this.futures.chain(source, target);
			assertThat(target.done()).isTrue();
			assertThat(target.result()).isEqualTo("x");
			assertThat(seen).isEmpty();
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(seen).containsExactly("target x");
		}

		@Test
		@DisplayName("CH-2: a done LoopFuture source copies inline into a CompletableFuture target")
		void chain_doneLoopSourceToCompletable_copiesInline() {
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			source.setException(FuturesTests.this.firstFailure);
			CompletableFuture<String> target = new CompletableFuture<>();
			FuturesTests.this.futures.chain(source, target);
			assertThat(failureOf(target)).isSameAs(FuturesTests.this.firstFailure);
		}

		@Test
		@DisplayName("CH-2: a pending LoopFuture source completes the target one iteration after it completes, the target's callbacks one later")
		void chain_pendingLoopSource_completesTargetNextIteration() {
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			LoopFuture<String> target = FuturesTests.this.loop.newFuture();
			List<String> seen = new ArrayList<>();
			target.addDoneCallback((f) -> seen.add("target " + f.result()));
			FuturesTests.this.futures.chain(source, target);
			assertThat(FuturesTests.this.loop.runUntilIdle()).isZero();
			FuturesTests.this.loop.execute(() -> source.setResult("x"));
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1); // iteration N: the source completes
			assertThat(source.done()).isTrue();
			assertThat(target.done()).isFalse();
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1); // N+1: the copy
			assertThat(target.done()).isTrue();
			assertThat(target.result()).isEqualTo("x");
			assertThat(seen).isEmpty();
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1); // N+2: the target's callbacks
			assertThat(seen).containsExactly("target x");
		}

		// ------------------------------------------------------------ CH-3

		@Test
		@DisplayName("CH-3: a CompletableFuture already done copies into a LoopFuture through the loop, in a later iteration")
		void chain_doneCompletableToLoop_copiesInLaterIteration() {
			CompletableFuture<String> source = CompletableFuture.completedFuture("x");
			LoopFuture<String> target = FuturesTests.this.loop.newFuture();
			FuturesTests.this.futures.chain(source, target);
			assertThat(target.done()).isFalse();
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(target.result()).isEqualTo("x");
		}

		@Test
		@DisplayName("CH-3: a CompletableFuture completed by a worker thread copies into a LoopFuture on the loop, not on the worker")
		void chain_completableCompletedOnWorkerToLoop_copiesOnLoop() throws Exception {
			CompletableFuture<String> source = new CompletableFuture<>();
			LoopFuture<String> target = FuturesTests.this.loop.newFuture();
			FuturesTests.this.futures.chain(source, target);
			onWorker(() -> source.complete("w"));
			assertThat(target.done()).isFalse();
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(target.result()).isEqualTo("w");
		}

		@Test
		@DisplayName("CH-3: CompletableFuture -> CompletableFuture goes through the loop too, even when the source is done")
		void chain_doneCompletableToCompletable_copiesInLaterIterationOnLoop() {
			CompletableFuture<String> source = CompletableFuture.completedFuture("x");
			CompletableFuture<String> target = new CompletableFuture<>();
			AtomicReference<Thread> dependentThread = new AtomicReference<>();
			target.thenRun(() -> dependentThread.set(Thread.currentThread()));
			FuturesTests.this.futures.chain(source, target);
			assertThat(target).isNotDone();
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(target).isCompletedWithValue("x");
			assertThat(dependentThread.get()).isSameAs(Thread.currentThread());
		}

		@Test
		@DisplayName("CH-3: CompletableFuture -> CompletableFuture completed on a worker is copied on the loop thread")
		void chain_completableCompletedOnWorkerToCompletable_copiesOnLoop() throws Exception {
			CompletableFuture<String> source = new CompletableFuture<>();
			CompletableFuture<String> target = new CompletableFuture<>();
			AtomicReference<Thread> dependentThread = new AtomicReference<>();
			target.thenRun(() -> dependentThread.set(Thread.currentThread()));
			FuturesTests.this.futures.chain(source, target);
			onWorker(() -> source.complete("w"));
			assertThat(target).isNotDone();
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(target).isCompletedWithValue("w");
			assertThat(dependentThread.get()).isSameAs(Thread.currentThread());
		}

		// ------------------------------------------------------------ CH-4

		@Test
		@DisplayName("CH-4: LoopFuture -> LoopFuture and -> CompletableFuture carry the very same exception object")
		void chain_failedLoopSource_targetsGetSameException() {
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			LoopFuture<String> loopTarget = FuturesTests.this.loop.newFuture();
			CompletableFuture<String> cfTarget = new CompletableFuture<>();
			FuturesTests.this.futures.chain(source, loopTarget);
			FuturesTests.this.futures.chain(source, cfTarget);
			source.setException(FuturesTests.this.firstFailure);
			FuturesTests.this.loop.runUntilIdle();
			assertThat(loopTarget.exception()).isSameAs(FuturesTests.this.firstFailure);
			assertThat(failureOf(cfTarget)).isSameAs(FuturesTests.this.firstFailure);
		}

		@Test
		@DisplayName("CH-4: a checked exception reaches the LoopFuture target as the same object")
		void chain_checkedFailure_targetGetsSameException() {
			Exception checked = new java.io.IOException("disk");
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			LoopFuture<String> target = FuturesTests.this.loop.newFuture();
			FuturesTests.this.futures.chain(source, target);
			source.setException(checked);
			FuturesTests.this.loop.runUntilIdle();
			assertThat(target.exception()).isSameAs(checked);
		}

		@Test
		@DisplayName("CH-4: a dependent CompletableFuture's CompletionException-wrapped failure arrives unwrapped in both target kinds")
		void chain_dependentCompletableFailure_arrivesUnwrapped() {
			CompletableFuture<String> base = new CompletableFuture<>();
			CompletableFuture<String> dependent = base.thenApply((value) -> value);
			LoopFuture<String> loopTarget = FuturesTests.this.loop.newFuture();
			CompletableFuture<String> cfTarget = new CompletableFuture<>();
			FuturesTests.this.futures.chain(dependent, loopTarget);
			FuturesTests.this.futures.chain(dependent, cfTarget);
			base.completeExceptionally(FuturesTests.this.firstFailure);
			assertThat(failureOf(dependent)).isInstanceOf(CompletionException.class); // the JDK wrapped it
			FuturesTests.this.loop.runUntilIdle();
			assertThat(loopTarget.exception()).isSameAs(FuturesTests.this.firstFailure);
			assertThat(failureOf(cfTarget)).isSameAs(FuturesTests.this.firstFailure);
		}

		@Test
		@DisplayName("CH-4: exactly one CompletionException layer is removed, not all of them")
		void chain_doublyWrappedFailure_unwrapsExactlyOneLayer() {
			RuntimeException inner = new IllegalStateException("inner");
			CompletionException middle = new CompletionException("middle", inner);
			CompletionException outer = new CompletionException("outer", middle);
			CompletableFuture<String> source = new CompletableFuture<>();
			LoopFuture<String> target = FuturesTests.this.loop.newFuture();
			FuturesTests.this.futures.chain(source, target);
			source.completeExceptionally(outer);
			FuturesTests.this.loop.runUntilIdle();
			assertThat(target.exception()).isSameAs(middle);
		}

		@Test
		@DisplayName("CH-4: CompletableFuture -> CompletableFuture carries the same exception object")
		void chain_failedCompletableToCompletable_sameException() throws Exception {
			CompletableFuture<String> source = new CompletableFuture<>();
			CompletableFuture<String> target = new CompletableFuture<>();
			FuturesTests.this.futures.chain(source, target);
			onWorker(() -> source.completeExceptionally(FuturesTests.this.firstFailure));
			FuturesTests.this.loop.runUntilIdle();
			assertThat(failureOf(target)).isSameAs(FuturesTests.this.firstFailure);
			assertThatThrownBy(() -> target.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.cause()
				.isSameAs(FuturesTests.this.firstFailure);
		}

		// ------------------------------------------------------------ CH-6

		@Test
		@DisplayName("CH-6: LoopFuture -> LoopFuture, cancelling the target does not cancel the source")
		void chain_loopToLoopTargetCancelled_sourceUntouched() {
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			LoopFuture<String> target = FuturesTests.this.loop.newFuture();
			FuturesTests.this.futures.chain(source, target);
			assertThat(target.cancel("stop")).isTrue();
			FuturesTests.this.loop.runUntilIdle();
			assertThat(source.done()).isFalse();
			source.setResult("x");
			FuturesTests.this.loop.runUntilIdle();
			assertThat(source.result()).isEqualTo("x");
			assertThat(target.cancelled()).isTrue();
		}

		@Test
		@DisplayName("CH-6: LoopFuture -> CompletableFuture, cancelling the target does not cancel the source")
		void chain_loopToCompletableTargetCancelled_sourceUntouched() {
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			CompletableFuture<String> target = new CompletableFuture<>();
			FuturesTests.this.futures.chain(source, target);
			assertThat(target.cancel(true)).isTrue();
			FuturesTests.this.loop.runUntilIdle();
			assertThat(source.done()).isFalse();
			source.setResult("x");
			FuturesTests.this.loop.runUntilIdle();
			assertThat(source.result()).isEqualTo("x");
			assertThat(target).isCancelled();
		}

		@Test
		@DisplayName("CH-6: CompletableFuture -> LoopFuture, cancelling the target does not cancel the source")
		void chain_completableToLoopTargetCancelled_sourceUntouched() {
			CompletableFuture<String> source = new CompletableFuture<>();
			LoopFuture<String> target = FuturesTests.this.loop.newFuture();
			FuturesTests.this.futures.chain(source, target);
			assertThat(target.cancel("stop")).isTrue();
			FuturesTests.this.loop.runUntilIdle();
			assertThat(source).isNotDone();
			source.complete("x");
			FuturesTests.this.loop.runUntilIdle();
			assertThat(target.cancelled()).isTrue();
			assertThat(source).isCompletedWithValue("x");
		}

		@Test
		@DisplayName("CH-6: CompletableFuture -> CompletableFuture, cancelling the target does not cancel the source")
		void chain_completableToCompletableTargetCancelled_sourceUntouched() {
			CompletableFuture<String> source = new CompletableFuture<>();
			CompletableFuture<String> target = new CompletableFuture<>();
			FuturesTests.this.futures.chain(source, target);
			assertThat(target.cancel(true)).isTrue();
			FuturesTests.this.loop.runUntilIdle();
			assertThat(source).isNotDone();
			source.complete("x");
			FuturesTests.this.loop.runUntilIdle();
			assertThat(target).isCancelled();
			assertThat(source).isCompletedWithValue("x");
		}

		// ------------------------------------------------------------ CH-7 / D-1

		@Test
		@DisplayName("CH-7/D-1: LoopFuture -> LoopFuture, a cancelled source cancels the target with its message")
		void chain_loopSourceCancelled_cancelsLoopTarget() {
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			LoopFuture<String> target = FuturesTests.this.loop.newFuture();
			FuturesTests.this.futures.chain(source, target);
			source.cancel("stop");
			FuturesTests.this.loop.runUntilIdle();
			assertThat(target.cancelled()).isTrue();
			assertThatThrownBy(target::result).isInstanceOf(CancellationException.class).hasMessage("stop");
		}

		@Test
		@DisplayName("CH-7/D-1: a LoopFuture source already cancelled at chaining time cancels the target inline, no exception")
		void chain_loopSourceAlreadyCancelled_cancelsTargetInline() {
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			source.cancel("early");
			LoopFuture<String> target = FuturesTests.this.loop.newFuture();
			CompletableFuture<String> cfTarget = new CompletableFuture<>();
			FuturesTests.this.futures.chain(source, target);
			FuturesTests.this.futures.chain(source, cfTarget);
			assertThat(target.cancelled()).isTrue();
			assertThatThrownBy(target::result).isInstanceOf(CancellationException.class).hasMessage("early");
			assertThat(cfTarget).isCancelled();
		}

		@Test
		@DisplayName("CH-7/D-1: LoopFuture -> CompletableFuture, a cancelled source cancels the target with its message")
		void chain_loopSourceCancelled_cancelsCompletableTarget() {
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			CompletableFuture<String> target = new CompletableFuture<>();
			FuturesTests.this.futures.chain(source, target);
			source.cancel("stop");
			FuturesTests.this.loop.runUntilIdle();
			assertThat(target).isCancelled();
			assertThat(original(catchThrowable(target::join))).isInstanceOf(CancellationException.class).hasMessage("stop");
		}

		@Test
		@DisplayName("CH-7/D-1: CompletableFuture -> LoopFuture, a cancelled source cancels the target, with the message when there is one")
		void chain_completableSourceCancelled_cancelsLoopTarget() {
			CompletableFuture<String> withMessage = new CompletableFuture<>();
			CompletableFuture<String> plain = new CompletableFuture<>();
			LoopFuture<String> target1 = FuturesTests.this.loop.newFuture();
			LoopFuture<String> target2 = FuturesTests.this.loop.newFuture();
			FuturesTests.this.futures.chain(withMessage, target1);
			FuturesTests.this.futures.chain(plain, target2);
			withMessage.completeExceptionally(new CancellationException("stop"));
			plain.cancel(true);
			FuturesTests.this.loop.runUntilIdle();
			assertThat(target1.cancelled()).isTrue();
			assertThatThrownBy(target1::result).isInstanceOf(CancellationException.class).hasMessage("stop");
			assertThat(target2.cancelled()).isTrue();
		}

		@Test
		@DisplayName("CH-7/D-1: CompletableFuture -> CompletableFuture, a cancelled source cancels the target with its message")
		void chain_completableSourceCancelled_cancelsCompletableTarget() {
			CompletableFuture<String> source = new CompletableFuture<>();
			CompletableFuture<String> target = new CompletableFuture<>();
			FuturesTests.this.futures.chain(source, target);
			source.completeExceptionally(new CancellationException("stop"));
			FuturesTests.this.loop.runUntilIdle();
			assertThat(target).isCancelled();
			assertThat(original(catchThrowable(target::join))).isInstanceOf(CancellationException.class).hasMessage("stop");
		}

		@Test
		@DisplayName("CH-7/D-1: a dependent of a cancelled CompletableFuture cancels a LoopFuture target")
		void chain_dependentOfCancelledCompletable_cancelsLoopTarget() {
			CompletableFuture<String> base = new CompletableFuture<>();
			CompletableFuture<String> dependent = base.thenApply((value) -> value);
			LoopFuture<String> target = FuturesTests.this.loop.newFuture();
			FuturesTests.this.futures.chain(dependent, target);
			base.completeExceptionally(new CancellationException("stop"));
			FuturesTests.this.loop.runUntilIdle();
			assertThat(target.cancelled()).isTrue();
			assertThatThrownBy(target::result).isInstanceOf(CancellationException.class).hasMessage("stop");
		}

		// ------------------------------------------------------------ CH-9, CH-10

		@Test
		@DisplayName("CH-9, CH-2: LoopFuture -> CompletableFuture, the target and its dependents complete in the iteration after the source, on the loop thread")
		void chain_loopToCompletable_dependentsRunSynchronouslyOnLoop() {
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			CompletableFuture<String> target = new CompletableFuture<>();
			List<String> seen = new ArrayList<>();
			AtomicReference<Thread> dependentThread = new AtomicReference<>();
			target.thenAccept((value) -> {
				seen.add("dependent " + value);
				dependentThread.set(Thread.currentThread());
			});
			FuturesTests.this.futures.chain(source, target);
			FuturesTests.this.loop.execute(() -> source.setResult("x"));
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(target).isNotDone();
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(target).isCompletedWithValue("x");
			assertThat(seen).containsExactly("dependent x");
			assertThat(dependentThread.get()).isSameAs(Thread.currentThread());
			assertThat(FuturesTests.this.loop.runOnce()).isZero();
		}

		@Test
		@DisplayName("CH-10: one LoopFuture source feeds several targets of both kinds")
		void chain_oneLoopSource_severalTargets() {
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			LoopFuture<String> target1 = FuturesTests.this.loop.newFuture();
			LoopFuture<String> target2 = FuturesTests.this.loop.newFuture();
			CompletableFuture<String> target3 = new CompletableFuture<>();
			FuturesTests.this.futures.chain(source, target1);
			FuturesTests.this.futures.chain(source, target2);
			FuturesTests.this.futures.chain(source, target3);
			source.setResult("x");
			FuturesTests.this.loop.runUntilIdle();
			assertThat(target1.result()).isEqualTo("x");
			assertThat(target2.result()).isEqualTo("x");
			assertThat(target3).isCompletedWithValue("x");
		}

		@Test
		@DisplayName("CH-10: one CompletableFuture source feeds several targets of both kinds")
		void chain_oneCompletableSource_severalTargets() {
			CompletableFuture<String> source = new CompletableFuture<>();
			LoopFuture<String> target1 = FuturesTests.this.loop.newFuture();
			LoopFuture<String> target2 = FuturesTests.this.loop.newFuture();
			CompletableFuture<String> target3 = new CompletableFuture<>();
			FuturesTests.this.futures.chain(source, target1);
			FuturesTests.this.futures.chain(source, target2);
			FuturesTests.this.futures.chain(source, target3);
			source.completeExceptionally(FuturesTests.this.firstFailure);
			FuturesTests.this.loop.runUntilIdle();
			assertThat(target1.exception()).isSameAs(FuturesTests.this.firstFailure);
			assertThat(target2.exception()).isSameAs(FuturesTests.this.firstFailure);
			assertThat(failureOf(target3)).isSameAs(FuturesTests.this.firstFailure);
		}

		// ------------------------------------------------------------ D-7

		@Test
		@DisplayName("D-7: LoopFuture -> LoopFuture of another loop, the target is completed on its own loop's thread")
		void chain_loopTargetOnOtherLoop_completedOnThatLoop() throws Exception {
			EventLoop other = closeLater(EventLoop.create("other"));
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			LoopFuture<String> target = other.newFuture();
			CompletableFuture<String> seen = new CompletableFuture<>();
			other.execute(() -> target.addDoneCallback(
					(f) -> seen.complete(Thread.currentThread().getName() + ":" + f.result())));
			FuturesTests.this.futures.chain(source, target);
			source.setResult("x");
			FuturesTests.this.loop.runUntilIdle();
			assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("other:x");
		}

		@Test
		@DisplayName("D-7, CH-7/D-1: a cancelled LoopFuture source cancels a target on another loop, on that loop")
		void chain_cancelledSourceTargetOnOtherLoop_cancelledThere() throws Exception {
			EventLoop other = closeLater(EventLoop.create("other"));
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			LoopFuture<String> target = other.newFuture();
			CompletableFuture<String> seen = new CompletableFuture<>();
			other.execute(() -> target.addDoneCallback((f) -> {
				try {
					f.result();
					seen.complete("not cancelled");
				}
				catch (CancellationException ex) {
					seen.complete(Thread.currentThread().getName() + ":" + ex.getMessage());
				}
			}));
			FuturesTests.this.futures.chain(source, target);
			source.cancel("stop");
			FuturesTests.this.loop.runUntilIdle();
			assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("other:stop");
		}

		@Test
		@DisplayName("D-7: CompletableFuture -> LoopFuture of another loop, the copy runs on the target's loop thread")
		void chain_completableToLoopOnOtherLoop_completedOnThatLoop() throws Exception {
			EventLoop other = closeLater(EventLoop.create("other"));
			CompletableFuture<String> source = new CompletableFuture<>();
			LoopFuture<String> target = other.newFuture();
			CompletableFuture<String> seen = new CompletableFuture<>();
			other.execute(() -> target.addDoneCallback(
					(f) -> seen.complete(Thread.currentThread().getName() + ":" + f.result())));
			FuturesTests.this.futures.chain(source, target);
			source.complete("x");
			assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("other:x");
		}

		@Test
		@DisplayName("D-7: CompletableFuture -> CompletableFuture from a thread with no loop copies through the default loop")
		void chain_completableToCompletableOffLoop_usesDefaultLoop() throws Exception {
			CompletableFuture<String> source = CompletableFuture.completedFuture("x");
			CompletableFuture<String> target = new CompletableFuture<>();
			AtomicReference<Thread> dependentThread = new AtomicReference<>();
			target.thenRun(() -> dependentThread.set(Thread.currentThread()));
			onWorker(() -> FuturesTests.this.futures.chain(source, target));
			assertThat(target).isNotDone();
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(target).isCompletedWithValue("x");
			assertThat(dependentThread.get()).isSameAs(Thread.currentThread());
		}

		// ------------------------------------------------------------ close

		@Test
		@DisplayName("§6 close: CompletableFuture -> LoopFuture, a loop closing before the source completes cancels the target with a message")
		void chain_loopClosesBeforeSource_targetCancelledWithMessage() {
			FuturesTests.this.loop.close();
			EventLoop t = EventLoop.builder("t").drainTimeout(Duration.ofMillis(100)).onCurrentThread();
			try {
				Futures tFutures = Futures.of(t);
				CompletableFuture<String> source = new CompletableFuture<>();
				LoopFuture<String> target = t.newFuture();
				tFutures.chain(source, target);
				t.close();
				assertThat(target.cancelled()).isTrue();
				assertThatThrownBy(target::result).isInstanceOf(CancellationException.class)
					.hasMessage("EventLoop 't' closed before the work behind this future completed (drain timeout PT0.1S)");
				try (LogCapture ignored = LogCapture.of("dev.eddy.loop")) {
					source.complete("late"); // dropped by the closed loop; must not throw here
				}
				assertThat(target.cancelled()).isTrue();
			}
			finally {
				t.close();
			}
		}

		@Test
		@DisplayName("§6 close: a CompletableFuture -> LoopFuture target cancelled by its owner is not waited for at close (CH-6)")
		void chain_targetCancelledThenLoopCloses_closeDoesNotWaitForDrainTimeout() {
			FuturesTests.this.loop.close();
			EventLoop t = EventLoop.builder("t").drainTimeout(Duration.ofSeconds(3)).onCurrentThread();
			CompletableFuture<String> source = new CompletableFuture<>();
			try {
				Futures tFutures = Futures.of(t);
				LoopFuture<String> target = t.newFuture();
				tFutures.chain(source, target);
				target.cancel("owner gave up");
				t.runUntilIdle();
				long started = System.nanoTime();
				t.close();
				long tookMillis = (System.nanoTime() - started) / 1_000_000;
				// The target is done: nothing waits for the source any more, so close has nothing to drain.
				assertThat(tookMillis).isLessThan(1_000);
			}
			finally {
				t.close();
				try (LogCapture ignored = LogCapture.of("dev.eddy.loop")) {
					source.complete("late");
				}
			}
		}

		@Test
		@DisplayName("chain: null arguments are rejected")
		void chain_nullArguments_throw() {
			LoopFuture<String> future = FuturesTests.this.loop.newFuture();
			assertThatNullPointerException().isThrownBy(() -> FuturesTests.this.futures.chain((LoopFuture<String>) null, future))
				.withMessage("source");
			assertThatNullPointerException()
				.isThrownBy(() -> FuturesTests.this.futures.chain(future, (LoopFuture<String>) null))
				.withMessage("target");
			assertThatNullPointerException()
				.isThrownBy(() -> FuturesTests.this.futures.chain((CompletableFuture<String>) null, future))
				.withMessage("source");
			assertThatNullPointerException()
				.isThrownBy(() -> FuturesTests.this.futures.chain(new CompletableFuture<String>(), (CompletableFuture<String>) null))
				.withMessage("target");
		}

	}

	// ==================================================================== setResultUnlessCancelled

	@Nested
	class SetResultUnlessCancelled {

		@Test
		@DisplayName("FSR-1: a pending LoopFuture gets the result; its callbacks are scheduled, not run inline")
		void setResultUnlessCancelled_pending_setsAndSchedules() {
			LoopFuture<String> future = FuturesTests.this.loop.newFuture();
			List<String> seen = new ArrayList<>();
			future.addDoneCallback((f) -> seen.add(f.result()));
			FuturesTests.this.futures.setResultUnlessCancelled(future, "x");
			assertThat(future.result()).isEqualTo("x");
			assertThat(seen).isEmpty();
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(seen).containsExactly("x");
		}

		@Test
		@DisplayName("FSR-1: null is a valid result")
		void setResultUnlessCancelled_null_isResult() {
			LoopFuture<String> future = FuturesTests.this.loop.newFuture();
			FuturesTests.this.futures.setResultUnlessCancelled(future, null);
			assertThat(future.done()).isTrue();
			assertThat(future.result()).isNull();
		}

		@Test
		@DisplayName("FSR-2: a cancelled LoopFuture is a silent no-op: no throw, no log, stays cancelled")
		void setResultUnlessCancelled_cancelled_isSilentNoOp() {
			try (LogCapture futuresLog = LogCapture.of(Futures.LOGGER_NAME); LogCapture loopLog = LogCapture.of("dev.eddy.loop")) {
				LoopFuture<String> future = FuturesTests.this.loop.newFuture();
				future.cancel("stop");
				assertThatCode(() -> FuturesTests.this.futures.setResultUnlessCancelled(future, "x"))
					.doesNotThrowAnyException();
				FuturesTests.this.loop.runUntilIdle();
				assertThat(future.cancelled()).isTrue();
				assertThatThrownBy(future::result).isInstanceOf(CancellationException.class).hasMessage("stop");
				assertThat(futuresLog.events()).isEmpty();
				assertThat(loopLog.events()).isEmpty();
			}
		}

		@Test
		@DisplayName("FSR-3: a LoopFuture with a result or an exception throws InvalidStateException and keeps its outcome")
		void setResultUnlessCancelled_alreadyDone_throwsAndKeepsValue() {
			LoopFuture<String> succeeded = doneLoopFuture(Done.RESULT);
			assertThatThrownBy(() -> FuturesTests.this.futures.setResultUnlessCancelled(succeeded, "second"))
				.isInstanceOf(InvalidStateException.class)
				.hasMessage("setResult on " + succeeded + ": the future is already done and keeps its first outcome; "
						+ "check done() first, or use Futures.setResultUnlessCancelled/setExceptionUnlessCancelled when it may have been cancelled");
			assertThat(succeeded.result()).isEqualTo("first");
			LoopFuture<String> failed = doneLoopFuture(Done.EXCEPTION);
			assertThatThrownBy(() -> FuturesTests.this.futures.setResultUnlessCancelled(failed, "second"))
				.isInstanceOf(InvalidStateException.class);
			assertThat(failed.exception()).isSameAs(FuturesTests.this.firstFailure);
		}

		@Test
		@DisplayName("FSR-3: a completed CompletableFuture throws InvalidStateException with the exact message and keeps its value")
		void setResultUnlessCancelled_completedCompletable_throws() {
			CompletableFuture<String> succeeded = CompletableFuture.completedFuture("first");
			String description = succeeded.toString();
			assertThatThrownBy(() -> FuturesTests.this.futures.setResultUnlessCancelled(succeeded, "second"))
				.isInstanceOf(InvalidStateException.class)
				.hasMessage("setResultUnlessCancelled on " + description
						+ ": the future is already completed and keeps its first outcome; check isDone() first");
			assertThat(succeeded).isCompletedWithValue("first");
			CompletableFuture<String> failed = doneCompletableFuture(Done.EXCEPTION);
			assertThatThrownBy(() -> FuturesTests.this.futures.setResultUnlessCancelled(failed, "second"))
				.isInstanceOf(InvalidStateException.class);
			assertThat(failureOf(failed)).isSameAs(FuturesTests.this.firstFailure);
		}

		@Test
		@DisplayName("FSR-4: a cancelled CompletableFuture is a silent no-op; a pending one is set")
		void setResultUnlessCancelled_completable_cancelledNoOpPendingSet() {
			try (LogCapture futuresLog = LogCapture.of(Futures.LOGGER_NAME)) {
				CompletableFuture<String> cancelled = new CompletableFuture<>();
				cancelled.cancel(false);
				assertThatCode(() -> FuturesTests.this.futures.setResultUnlessCancelled(cancelled, "x"))
					.doesNotThrowAnyException();
				assertThat(cancelled).isCancelled();
				assertThat(futuresLog.events()).isEmpty();
			}
			CompletableFuture<String> pending = new CompletableFuture<>();
			FuturesTests.this.futures.setResultUnlessCancelled(pending, "x");
			assertThat(pending).isCompletedWithValue("x");
		}

	}

	// ==================================================================== setExceptionUnlessCancelled

	@Nested
	class SetExceptionUnlessCancelled {

		@Test
		@DisplayName("FSE-1: a pending LoopFuture fails with the same exception; callbacks scheduled")
		void setExceptionUnlessCancelled_pending_fails() {
			LoopFuture<String> future = FuturesTests.this.loop.newFuture();
			List<Throwable> seen = new ArrayList<>();
			future.addDoneCallback((f) -> seen.add(f.exception()));
			FuturesTests.this.futures.setExceptionUnlessCancelled(future, FuturesTests.this.firstFailure);
			assertThat(seen).isEmpty();
			FuturesTests.this.loop.runOnce();
			assertThat(seen).containsExactly(FuturesTests.this.firstFailure);
			assertThat(future.exception()).isSameAs(FuturesTests.this.firstFailure);
		}

		@Test
		@DisplayName("FSE-1: a pending CompletableFuture fails with the same exception")
		void setExceptionUnlessCancelled_pendingCompletable_fails() {
			CompletableFuture<String> future = new CompletableFuture<>();
			FuturesTests.this.futures.setExceptionUnlessCancelled(future, FuturesTests.this.firstFailure);
			assertThat(failureOf(future)).isSameAs(FuturesTests.this.firstFailure);
		}

		@Test
		@DisplayName("FSE-2: a cancelled LoopFuture logs \"Exception after Future was cancelled\" at ERROR with the exception, no throw")
		void setExceptionUnlessCancelled_cancelled_logs() {
			try (LogCapture futuresLog = LogCapture.of("dev.eddy.concurrent.Futures")) {
				LoopFuture<String> future = FuturesTests.this.loop.newFuture();
				future.cancel("stop");
				RuntimeException late = new IllegalArgumentException("late");
				assertThatCode(() -> FuturesTests.this.futures.setExceptionUnlessCancelled(future, late))
					.doesNotThrowAnyException();
				assertThat(future.cancelled()).isTrue();
				assertSingleError(futuresLog, "Exception after Future was cancelled", late);
			}
		}

		@Test
		@DisplayName("FSE-2: a cancelled CompletableFuture logs \"Exception after Future was cancelled\" at ERROR with the exception, no throw")
		void setExceptionUnlessCancelled_cancelledCompletable_logs() {
			try (LogCapture futuresLog = LogCapture.of("dev.eddy.concurrent.Futures")) {
				CompletableFuture<String> future = new CompletableFuture<>();
				future.cancel(false);
				RuntimeException late = new IllegalArgumentException("late");
				assertThatCode(() -> FuturesTests.this.futures.setExceptionUnlessCancelled(future, late))
					.doesNotThrowAnyException();
				assertThat(future).isCancelled();
				assertSingleError(futuresLog, "Exception after Future was cancelled", late);
			}
		}

		@Test
		@DisplayName("FSE-3: an already finished LoopFuture or CompletableFuture throws InvalidStateException and keeps its outcome")
		void setExceptionUnlessCancelled_alreadyDone_throws() {
			LoopFuture<String> future = doneLoopFuture(Done.RESULT);
			RuntimeException second = new IllegalArgumentException("second");
			assertThatThrownBy(() -> FuturesTests.this.futures.setExceptionUnlessCancelled(future, second))
				.isInstanceOf(InvalidStateException.class)
				.hasMessageStartingWith("setException on " + future + ": the future is already done");
			assertThat(future.result()).isEqualTo("first");
			CompletableFuture<String> cf = CompletableFuture.completedFuture("first");
			String description = cf.toString();
			assertThatThrownBy(() -> FuturesTests.this.futures.setExceptionUnlessCancelled(cf, second))
				.isInstanceOf(InvalidStateException.class)
				.hasMessage("setExceptionUnlessCancelled on " + description
						+ ": the future is already completed and keeps its first outcome; check isDone() first");
			assertThat(cf).isCompletedWithValue("first");
		}

	}

	// ==================================================================== setExcInfo

	@Nested
	class SetExcInfo {

		private final ExcInfo empty = new ExcInfo(RuntimeException.class, null, List.of());

		@Test
		@DisplayName("FSX-1: no exception value throws IllegalArgumentException, even on a cancelled future, which is left untouched")
		void setExcInfo_nullValue_throwsBeforeCancellationCheck() {
			try (LogCapture futuresLog = LogCapture.of(Futures.LOGGER_NAME)) {
				LoopFuture<String> pending = FuturesTests.this.loop.newFuture();
				assertThatIllegalArgumentException()
					.isThrownBy(() -> FuturesTests.this.futures.setExcInfo(pending, this.empty))
					.withMessage("setExcInfo called with no exception");
				assertThat(pending.done()).isFalse();
				LoopFuture<String> cancelled = FuturesTests.this.loop.newFuture();
				cancelled.cancel("stop");
				assertThatIllegalArgumentException()
					.isThrownBy(() -> FuturesTests.this.futures.setExcInfo(cancelled, this.empty))
					.withMessage("setExcInfo called with no exception");
				assertThat(cancelled.cancelled()).isTrue();
				CompletableFuture<String> cf = new CompletableFuture<>();
				cf.cancel(false);
				assertThatIllegalArgumentException().isThrownBy(() -> FuturesTests.this.futures.setExcInfo(cf, this.empty))
					.withMessage("setExcInfo called with no exception");
				assertThat(futuresLog.events()).isEmpty();
			}
		}

		@Test
		@DisplayName("FSX-2: only the value is used: type and traceback are ignored and the same object is stored")
		void setExcInfo_onlyValueUsed() {
			RuntimeException value = new IllegalStateException("value");
			StackTraceElement fake = new StackTraceElement("Fake", "frame", "Fake.java", 1);
			ExcInfo excInfo = new ExcInfo(java.io.IOException.class, value, List.of(fake));
			LoopFuture<String> future = FuturesTests.this.loop.newFuture();
			FuturesTests.this.futures.setExcInfo(future, excInfo);
			assertThat(future.exception()).isSameAs(value);
			ExcInfo stored = future.excInfo();
			assertThat(stored).isNotNull();
			assertThat(stored.type()).isEqualTo(IllegalStateException.class);
			assertThat(stored.value()).isSameAs(value);
			assertThat(stored.traceback()).containsExactly(value.getStackTrace());
			CompletableFuture<String> cf = new CompletableFuture<>();
			FuturesTests.this.futures.setExcInfo(cf, excInfo);
			assertThat(failureOf(cf)).isSameAs(value);
		}

		@Test
		@DisplayName("FSX-3: a cancelled future logs \"Exception after Future was cancelled\" and does not raise")
		void setExcInfo_cancelled_logs() {
			RuntimeException value = new IllegalStateException("value");
			try (LogCapture futuresLog = LogCapture.of(Futures.LOGGER_NAME)) {
				LoopFuture<String> future = FuturesTests.this.loop.newFuture();
				future.cancel();
				assertThatCode(() -> FuturesTests.this.futures.setExcInfo(future, ExcInfo.of(value)))
					.doesNotThrowAnyException();
				assertThat(future.cancelled()).isTrue();
				assertSingleError(futuresLog, "Exception after Future was cancelled", value);
			}
			try (LogCapture futuresLog = LogCapture.of(Futures.LOGGER_NAME)) {
				CompletableFuture<String> cf = new CompletableFuture<>();
				cf.cancel(false);
				assertThatCode(() -> FuturesTests.this.futures.setExcInfo(cf, ExcInfo.of(value))).doesNotThrowAnyException();
				assertSingleError(futuresLog, "Exception after Future was cancelled", value);
			}
		}

		@Test
		@DisplayName("FSX-4: an already finished future throws InvalidStateException; a pending CompletableFuture is accepted")
		void setExcInfo_finished_throws() {
			RuntimeException value = new IllegalStateException("value");
			LoopFuture<String> future = doneLoopFuture(Done.RESULT);
			assertThatThrownBy(() -> FuturesTests.this.futures.setExcInfo(future, ExcInfo.of(value)))
				.isInstanceOf(InvalidStateException.class);
			assertThat(future.result()).isEqualTo("first");
			CompletableFuture<String> done = CompletableFuture.completedFuture("first");
			assertThatThrownBy(() -> FuturesTests.this.futures.setExcInfo(done, ExcInfo.of(value)))
				.isInstanceOf(InvalidStateException.class);
			assertThat(done).isCompletedWithValue("first");
			CompletableFuture<String> pending = new CompletableFuture<>();
			FuturesTests.this.futures.setExcInfo(pending, ExcInfo.of(value));
			assertThat(failureOf(pending)).isSameAs(value);
		}

	}

	// ==================================================================== addDoneCallback

	@Nested
	class AddDoneCallback {

		@ParameterizedTest
		@EnumSource(Done.class)
		@DisplayName("FADC-1: a done LoopFuture, cancelled included, gets the callback inline before the call returns")
		void addDoneCallback_doneLoopFuture_runsInline(Done how) {
			LoopFuture<String> future = doneLoopFuture(how);
			List<LoopFuture<String>> seen = new ArrayList<>();
			FuturesTests.this.futures.addDoneCallback(future, seen::add);
			assertThat(seen).containsExactly(future);
		}

		@Test
		@DisplayName("FADC-1: a pending LoopFuture gets the callback scheduled, not inline")
		void addDoneCallback_pendingLoopFuture_isScheduled() {
			LoopFuture<String> future = FuturesTests.this.loop.newFuture();
			List<String> seen = new ArrayList<>();
			FuturesTests.this.futures.addDoneCallback(future, (f) -> seen.add(f.result()));
			assertThat(seen).isEmpty();
			future.setResult("x");
			assertThat(seen).isEmpty();
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(seen).containsExactly("x");
		}

		@Test
		@DisplayName("FADC-2: on the inline path an exception from the callback propagates to the caller")
		void addDoneCallback_inlineThrows_propagates() {
			LoopFuture<String> future = doneLoopFuture(Done.RESULT);
			RuntimeException boom = new IllegalStateException("boom");
			assertThatThrownBy(() -> FuturesTests.this.futures.addDoneCallback(future, (f) -> {
				throw boom;
			})).isSameAs(boom);
		}

		@Test
		@DisplayName("FADC-2: on the scheduled path an exception from the callback is logged by the loop as \"Exception in callback …\"")
		void addDoneCallback_scheduledThrows_isLoggedByLoop() {
			try (LogCapture loopLog = LogCapture.of("dev.eddy.loop")) {
				LoopFuture<String> future = FuturesTests.this.loop.newFuture();
				RuntimeException boom = new IllegalStateException("boom");
				FuturesTests.this.futures.addDoneCallback(future, (f) -> {
					throw boom;
				});
				future.setResult("x");
				assertThatCode(() -> FuturesTests.this.loop.runOnce()).doesNotThrowAnyException();
				List<ILoggingEvent> events = loopLog.events();
				assertThat(events).hasSize(1);
				assertThat(events.get(0).getLevel()).isEqualTo(Level.ERROR);
				assertThat(events.get(0).getFormattedMessage()).startsWith("Exception in callback ");
				assertThat(events.get(0).getThrowableProxy().getMessage()).isEqualTo("boom");
			}
		}

		@Test
		@DisplayName("FADC-3: callbacks on a pending CompletableFuture run in registration order, as concurrent.futures runs them")
		void addDoneCallback_pendingCompletable_runsInRegistrationOrder() {
			CompletableFuture<String> plain = new CompletableFuture<>();
			LoopFuture<String> source = FuturesTests.this.loop.newFuture();
			CompletableFuture<String> eddyView = source.toCompletableFuture();
			for (CompletableFuture<String> future : List.of(plain, eddyView)) {
				List<Integer> order = new ArrayList<>();
				for (int i = 0; i < 5; i++) {
					int index = i;
					FuturesTests.this.futures.addDoneCallback(future, (f) -> {
						order.add(index);
						if (index == 1) {
							throw new IllegalStateException("callback 1 fails; the others still run");
						}
					});
				}
				if (future == plain) {
					plain.complete("x");
				}
				else {
					source.setResult("x");
					FuturesTests.this.loop.runUntilIdle();
				}
				assertThat(order).as("order of the callbacks on %s", future).containsExactly(0, 1, 2, 3, 4);
				List<Integer> late = new ArrayList<>();
				FuturesTests.this.futures.addDoneCallback(future, (f) -> late.add(5));
				assertThat(late).as("FADC-1: a callback added once it is done runs inline").containsExactly(5);
			}
		}

		@Test
		@DisplayName("FADC-3: callbacks registered by several threads each run exactly once; those registered before completion in order")
		void addDoneCallback_concurrentRegistrations_runOnce() throws Exception {
			for (int round = 0; round < 50; round++) {
				boolean raceCompletion = (round % 2 == 1);
				CompletableFuture<String> future = new CompletableFuture<>();
				java.util.concurrent.ConcurrentLinkedQueue<int[]> runs = new java.util.concurrent.ConcurrentLinkedQueue<>();
				Thread[] threads = new Thread[3];
				for (int t = 0; t < threads.length; t++) {
					int thread = t;
					threads[t] = new Thread(() -> {
						for (int i = 0; i < 100; i++) {
							int index = i;
							FuturesTests.this.futures.addDoneCallback(future, (f) -> runs.add(new int[] { thread, index }));
						}
					});
					threads[t].start();
				}
				if (raceCompletion) {
					future.complete("x"); // while they register: a callback added once it is done runs inline
				}
				for (Thread thread : threads) {
					thread.join(10_000);
				}
				if (!raceCompletion) {
					future.complete("x");
				}
				assertThat(runs).as("each callback once").hasSize(300);
				if (!raceCompletion) {
					int[] last = { -1, -1, -1 };
					for (int[] run : runs) {
						assertThat(run[1]).as("thread %s's callbacks in order", run[0]).isGreaterThan(last[run[0]]);
						last[run[0]] = run[1];
					}
				}
			}
		}

		@Test
		@DisplayName("FADC-3: a pending CompletableFuture runs the callback on the completing thread")
		void addDoneCallback_pendingCompletable_runsOnCompletingThread() throws Exception {
			CompletableFuture<String> future = new CompletableFuture<>();
			CompletableFuture<String> thread = new CompletableFuture<>();
			FuturesTests.this.futures.addDoneCallback(future, (f) -> thread.complete(Thread.currentThread().getName()));
			assertThat(thread).isNotDone();
			onWorker(() -> future.complete("x"));
			assertThat(thread).isCompletedWithValue("futures-worker");
		}

		@Test
		@DisplayName("FADC-3: a done CompletableFuture runs the callback inline; its exception propagates")
		void addDoneCallback_doneCompletable_runsInline() {
			CompletableFuture<String> future = CompletableFuture.completedFuture("x");
			List<CompletableFuture<String>> seen = new ArrayList<>();
			FuturesTests.this.futures.addDoneCallback(future, seen::add);
			assertThat(seen).containsExactly(future);
			RuntimeException boom = new IllegalStateException("boom");
			assertThatThrownBy(() -> FuturesTests.this.futures.addDoneCallback(future, (f) -> {
				throw boom;
			})).isSameAs(boom);
		}

		@Test
		@DisplayName("FADC-3: a throwing callback on a CompletableFuture is logged as \"Exception calling callback …\" and the others still run")
		void addDoneCallback_completableCallbackThrows_loggedOthersRun() throws Exception {
			try (LogCapture futuresLog = LogCapture.of("dev.eddy.concurrent.Futures")) {
				CompletableFuture<String> future = new CompletableFuture<>();
				RuntimeException boom = new IllegalStateException("boom");
				AtomicInteger others = new AtomicInteger();
				FuturesTests.this.futures.addDoneCallback(future, (f) -> others.incrementAndGet());
				FuturesTests.this.futures.addDoneCallback(future, (f) -> {
					throw boom;
				});
				FuturesTests.this.futures.addDoneCallback(future, (f) -> others.incrementAndGet());
				onWorker(() -> future.complete("x"));
				assertThat(others).hasValue(2);
				List<ILoggingEvent> events = futuresLog.events();
				assertThat(events).hasSize(1);
				assertThat(events.get(0).getLevel()).isEqualTo(Level.ERROR);
				assertThat(events.get(0).getFormattedMessage()).startsWith("Exception calling callback");
				assertThat(events.get(0).getThrowableProxy().getMessage()).isEqualTo("boom");
			}
		}

		@Test
		@DisplayName("FADC-3: the LoopFuture's CompletableFuture view runs a pending callback on the loop thread that completes it")
		void addDoneCallback_eddyCompletableView_runsOnLoop() {
			LoopFuture<String> loopFuture = FuturesTests.this.loop.newFuture();
			CompletableFuture<String> view = loopFuture.toCompletableFuture();
			AtomicReference<Thread> ranOn = new AtomicReference<>();
			FuturesTests.this.futures.addDoneCallback(view, (f) -> ranOn.set(Thread.currentThread()));
			assertThat(ranOn.get()).isNull();
			loopFuture.setResult("x");
			FuturesTests.this.loop.runUntilIdle();
			assertThat(view).isCompletedWithValue("x");
			assertThat(ranOn.get()).isSameAs(Thread.currentThread());
		}

	}

	// ==================================================================== fromCallback

	@Nested
	class FromCallback {

		@Test
		@DisplayName("RF-2, RF-3: a start that calls the callback synchronously on the loop thread returns a done future")
		void fromCallback_synchronousCall_returnsDoneFuture() {
			LoopFuture<String> future = FuturesTests.this.futures.fromCallback((callback) -> callback.accept("v"));
			assertThat(future.done()).isTrue();
			assertThat(future.result()).isEqualTo("v");
			assertThat(future.loop()).isSameAs(FuturesTests.this.loop);
		}

		@Test
		@DisplayName("RF-8: fromCallbacks' error consumer fails the future when work start scheduled fails later")
		void fromCallbacks_errorCalledLater_failsTheFuture() throws Exception {
			java.io.IOException later = new java.io.IOException("failed later");
			LoopFuture<String> onLoop = FuturesTests.this.futures.<String>fromCallbacks(
					(ok, error) -> FuturesTests.this.loop.callLater(Duration.ZERO, () -> error.accept(later)));
			assertThat(onLoop.done()).isFalse();
			FuturesTests.this.loop.runOnce();
			assertThat(onLoop.exception()).isSameAs(later);
			AtomicReference<Consumer<? super Throwable>> saved = new AtomicReference<>();
			LoopFuture<String> fromWorker = FuturesTests.this.futures.<String>fromCallbacks((ok, error) -> saved.set(error));
			onWorker(() -> saved.get().accept(later));
			FuturesTests.this.loop.runUntilIdle();
			assertThat(fromWorker.exception()).isSameAs(later);
		}

		@Test
		@DisplayName("RF-8: the first consumer called settles the future; later calls are ignored with rate-limited warnings")
		void fromCallbacks_repeatedCalls_firstWinsAndWarningsAreBounded() {
			try (LogCapture log = LogCapture.of("dev.eddy.concurrent")) {
				LoopFuture<String> future = FuturesTests.this.futures.<String>fromCallbacks((ok, error) -> {
					ok.accept("first");
					for (int i = 0; i < 1_000; i++) {
						error.accept(new IllegalStateException("ignored " + i));
						ok.accept("ignored " + i);
					}
				});
				assertThat(future.result()).isEqualTo("first");
				assertThat(log.messages(Level.WARN)).hasSizeLessThanOrEqualTo(10)
					.allSatisfy((line) -> assertThat(line).startsWith("fromCallback: the callback for "));
			}
		}

		@Test
		@DisplayName("RF-3: a callback called later from loop.callLater leaves the future pending until then")
		void fromCallback_callLater_pendingUntilCalled() {
			LoopFuture<String> future = FuturesTests.this.futures
				.fromCallback((callback) -> FuturesTests.this.loop.callLater(Duration.ZERO, () -> callback.accept("later")));
			assertThat(future.done()).isFalse();
			FuturesTests.this.loop.runOnce();
			assertThat(future.done()).isTrue();
			assertThat(future.result()).isEqualTo("later");
		}

		@Test
		@DisplayName("RF-3: a callback called from another thread completes the future on the loop in a later iteration")
		void fromCallback_otherThread_hopsToLoop() throws Exception {
			AtomicReference<Consumer<? super String>> saved = new AtomicReference<>();
			LoopFuture<String> future = FuturesTests.this.futures.fromCallback((callback) -> saved.set(callback));
			assertThat(future.done()).isFalse();
			onWorker(() -> saved.get().accept("w"));
			assertThat(future.done()).isFalse();
			assertThat(FuturesTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(future.result()).isEqualTo("w");
		}

		@Test
		@DisplayName("RF-3: a second call of the callback is ignored with a WARN")
		void fromCallback_secondCall_ignoredWithWarning() {
			try (LogCapture futuresLog = LogCapture.of(Futures.LOGGER_NAME)) {
				LoopFuture<String> future = FuturesTests.this.futures.fromCallback((callback) -> {
					callback.accept("a");
					callback.accept("b");
				});
				assertThat(future.result()).isEqualTo("a");
				List<ILoggingEvent> events = futuresLog.events();
				assertThat(events).hasSize(1);
				assertThat(events.get(0).getLevel()).isEqualTo(Level.WARN);
				assertThat(events.get(0).getFormattedMessage()).isEqualTo("fromCallback: the callback for " + future
						+ " was called before; this call, with b, is ignored");
			}
		}

		@Test
		@DisplayName("RF-6: a start that throws propagates the same exception to the caller; nothing is reported as unobserved")
		void fromCallback_startThrows_propagatesNothingReported() {
			FuturesTests.this.loop.close();
			UnobservedFailureDetector detector = UnobservedFailureDetector.builder().build();
			EventLoop t = EventLoop.builder("t").unobservedFailureDetector(detector).drainTimeout(Duration.ofMillis(100))
				.onCurrentThread();
			try (LogCapture loopLog = LogCapture.of("dev.eddy.loop")) {
				Futures tFutures = Futures.of(t);
				RuntimeException boom = new IllegalStateException("boom");
				AtomicInteger calls = new AtomicInteger();
				assertThatThrownBy(() -> tFutures.<String>fromCallback((callback) -> {
					calls.incrementAndGet();
					throw boom;
				})).isSameAs(boom);
				assertThat(calls).hasValue(1);
				t.runUntilIdle();
				assertThat(detector.trackedCount()).isZero();
				assertThat(detector.reportedCount()).isZero();
				assertThat(loopLog.events()).isEmpty();
			}
			finally {
				t.close();
				detector.close();
			}
		}

		@Test
		@DisplayName("RF-3: the timeout overload fails with a TimeoutException naming the timeout when the callback is never called")
		void fromCallback_timeout_failsWithTimeoutException() throws Exception {
			Duration timeout = Duration.ofMillis(50);
			LoopFuture<String> future = FuturesTests.this.futures.fromCallback((callback) -> {
			}, timeout);
			FuturesTests.this.loop.runUntilIdle();
			assertThat(future.done()).isFalse();
			assertThatThrownBy(() -> FuturesTests.this.loop.runSync(() -> future, WAIT))
				.isInstanceOf(CompletionException.class) // D-3: a checked exception is wrapped once by result()
				.cause()
				.isInstanceOf(TimeoutException.class)
				.hasMessage("fromCallback: the callback was not called within PT0.05S");
			assertThat(future.exception()).isInstanceOf(TimeoutException.class);
		}

		@Test
		@DisplayName("RF-3: with a timeout, a callback called in time wins and the timer does nothing later")
		void fromCallback_timeoutCalledInTime_keepsResult() throws Exception {
			try (LogCapture futuresLog = LogCapture.of(Futures.LOGGER_NAME)) {
				LoopFuture<String> future = FuturesTests.this.futures.fromCallback((callback) -> callback.accept("v"),
						Duration.ofMillis(20));
				assertThat(future.result()).isEqualTo("v");
				FuturesTests.this.loop.runSync(() -> {
					LoopFuture<String> later = FuturesTests.this.loop.newFuture();
					FuturesTests.this.loop.callLater(Duration.ofMillis(100), () -> later.setResult("tick"));
					return later;
				}, WAIT);
				assertThat(future.result()).isEqualTo("v");
				assertThat(futuresLog.events()).isEmpty();
			}
		}

		@Test
		@DisplayName("fromCallback: null start and non-positive or null timeout are rejected before start runs")
		void fromCallback_badArguments_throw() {
			AtomicInteger calls = new AtomicInteger();
			Consumer<Consumer<? super String>> start = (callback) -> calls.incrementAndGet();
			assertThatNullPointerException().isThrownBy(() -> FuturesTests.this.futures.fromCallback(null))
				.withMessage("start");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> FuturesTests.this.futures.fromCallback(start, Duration.ZERO))
				.withMessage("'timeout' must be positive, was PT0S");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> FuturesTests.this.futures.fromCallback(start, Duration.ofSeconds(-1)))
				.withMessage("'timeout' must be positive, was PT-1S");
			assertThatNullPointerException().isThrownBy(() -> FuturesTests.this.futures.fromCallback(start, null))
				.withMessage("timeout");
			assertThat(calls).hasValue(0);
		}

	}

	// ==================================================================== allOf

	@Nested
	class AllOf {

		@Test
		@DisplayName("allOf: completes when all inputs complete")
		void allOf_allComplete_completes() {
			CompletableFuture<String> a = new CompletableFuture<>();
			CompletableFuture<Integer> b = new CompletableFuture<>();
			CompletableFuture<Void> all = FuturesTests.this.futures.allOf(a, b);
			a.complete("a");
			assertThat(all).isNotDone();
			b.complete(1);
			assertThat(all).isCompletedWithValue(null);
		}

		@Test
		@DisplayName("allOf: fails with the input's failure unwrapped (same object), once every input is done")
		void allOf_oneFails_failsUnwrapped() {
			CompletableFuture<String> a = new CompletableFuture<>();
			CompletableFuture<String> b = new CompletableFuture<>();
			CompletableFuture<Void> all = FuturesTests.this.futures.allOf(a, b);
			b.completeExceptionally(FuturesTests.this.firstFailure);
			assertThat(all).isNotDone();
			a.complete("a");
			assertThat(failureOf(all)).isSameAs(FuturesTests.this.firstFailure);
		}

		@Test
		@DisplayName("allOf: with several failures, the result carries one of them, unwrapped")
		void allOf_severalFail_carriesOneUnwrapped() {
			RuntimeException second = new IllegalArgumentException("second");
			CompletableFuture<String> a = new CompletableFuture<>();
			CompletableFuture<String> b = new CompletableFuture<>();
			CompletableFuture<Void> all = FuturesTests.this.futures.allOf(a, b);
			a.completeExceptionally(FuturesTests.this.firstFailure);
			b.completeExceptionally(second);
			assertThat(failureOf(all)).isIn(FuturesTests.this.firstFailure, second);
		}

		@Test
		@DisplayName("allOf: no inputs completes at once")
		void allOf_noInputs_completed() {
			assertThat(FuturesTests.this.futures.allOf()).isCompletedWithValue(null);
		}

		@Test
		@DisplayName("allOf: a null array or a null element is rejected")
		void allOf_nulls_throw() {
			assertThatNullPointerException()
				.isThrownBy(() -> FuturesTests.this.futures.allOf((CompletableFuture<?>[]) null))
				.withMessage("futures");
			assertThatNullPointerException()
				.isThrownBy(() -> FuturesTests.this.futures.allOf(new CompletableFuture<String>(), null))
				.withMessage("'futures[1]' must not be null");
		}

	}

	// ==================================================================== runInExecutor, of, toString

	@Nested
	class Other {

		@Test
		@DisplayName("runInExecutor: on a loop thread the future belongs to the current loop, not the default loop")
		void runInExecutor_onLoopThread_usesCurrentLoop() throws Exception {
			EventLoop other = closeLater(EventLoop.create("other"));
			Futures otherFutures = Futures.of(other);
			LoopFuture<String> future = otherFutures.runInExecutor(FuturesTests.this.worker, () -> "done");
			assertThat(future.loop()).isSameAs(FuturesTests.this.loop);
			assertThat(FuturesTests.this.loop.runSync(() -> future, WAIT)).isEqualTo("done");
		}

		@Test
		@DisplayName("runInExecutor: off every loop thread the future belongs to the default loop")
		void runInExecutor_offLoop_usesDefaultLoop() throws Exception {
			ExecutorService caller = Executors.newSingleThreadExecutor();
			try {
				LoopFuture<String> future = caller
					.submit(() -> FuturesTests.this.futures.runInExecutor(FuturesTests.this.worker, () -> "done"))
					.get(5, TimeUnit.SECONDS);
				assertThat(future.loop()).isSameAs(FuturesTests.this.loop);
				assertThat(FuturesTests.this.loop.runSync(() -> future, WAIT)).isEqualTo("done");
			}
			finally {
				caller.shutdownNow();
				assertThat(caller.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
			}
		}

		@Test
		@DisplayName("of: a null default loop is rejected")
		void of_null_throws() {
			assertThatNullPointerException().isThrownBy(() -> Futures.of(null)).withMessage("defaultLoop");
		}

		@Test
		@DisplayName("of, toString: names the default loop")
		void toString_namesDefaultLoop() {
			assertThat(FuturesTests.this.futures.defaultLoop()).isSameAs(FuturesTests.this.loop);
			assertThat(FuturesTests.this.futures).hasToString("Futures[defaultLoop=test]");
		}

	}

}
