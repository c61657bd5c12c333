package dev.eddy.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.Level;
import dev.eddy.concurrent.ExcInfo;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.EventLoopClosedException;
import dev.eddy.testsupport.LogCapture;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The loop-bound future without Spring, where the contract tests in {@code dev.eddy.concurrent}
 * do not look: which reads observe a failure (GC-2..GC-4, counted by the loop's own detector),
 * what a loop whose owner died does to the hand-off futures still waiting, and the view of a
 * future whose loop is closed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DefaultLoopFutureTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private UnobservedFailureDetector detector;

	private EventLoop loop;

	@BeforeEach
	void setUp() {
		this.detector = UnobservedFailureDetector.builder().build();
		this.loop = EventLoop.builder("future-tests").unobservedFailureDetector(this.detector).onCurrentThread();
	}

	@AfterEach
	void tearDown() {
		this.loop.close();
		this.detector.close();
	}

	private LoopFuture<String> failed(Throwable failure) {
		LoopFuture<String> future = this.loop.newFuture();
		future.setException(failure);
		return future;
	}

	@Test
	@DisplayName("GC-2: setException and setExcInfo make the failure owed to the loop's detector; setResult and cancel do not")
	void failing_isTracked() {
		LoopFuture<String> ok = this.loop.newFuture();
		ok.setResult("v");
		LoopFuture<String> cancelled = this.loop.newFuture();
		cancelled.cancel();
		assertThat(this.detector.trackedCount()).isZero();
		failed(new IOException("one"));
		assertThat(this.detector.trackedCount()).isEqualTo(1);
		LoopFuture<String> second = this.loop.newFuture();
		second.setExcInfo(ExcInfo.of(new IOException("two")));
		assertThat(this.detector.trackedCount()).isEqualTo(2);
	}

	@Test
	@DisplayName("GC-3: result() observes and throws; exception() and excInfo() observe and return the failure")
	void reads_observe() {
		IOException one = new IOException("one");
		LoopFuture<String> first = failed(one);
		LoopFuture<String> second = failed(new IOException("two"));
		LoopFuture<String> third = failed(new IllegalStateException("three"));
		assertThat(this.detector.trackedCount()).isEqualTo(3);
		assertThat(catchThrowable(first::result)).isInstanceOf(CompletionException.class).hasCause(one);
		assertThat(this.detector.trackedCount()).isEqualTo(2);
		assertThat(second.exception()).hasMessage("two");
		assertThat(this.detector.trackedCount()).isEqualTo(1);
		assertThat(third.excInfo().value()).hasMessage("three");
		assertThat(this.detector.trackedCount()).isZero();
	}

	@Test
	@DisplayName("GC-4: cancel() on a failed future returns false, keeps the failure, and observes it")
	void cancel_onFailed_observes() {
		LoopFuture<String> future = failed(new IOException("kept"));
		assertThat(future.cancel("too late")).isFalse();
		assertThat(this.detector.trackedCount()).isZero();
		assertThat(future.cancelled()).isFalse();
	}

	@Test
	@DisplayName("GC-5: done(), cancelled(), running() and addDoneCallback do not observe")
	void nonObservingCalls_keepTheDuty() {
		LoopFuture<String> future = failed(new IOException("kept"));
		assertThat(future.done()).isTrue();
		assertThat(future.cancelled()).isFalse();
		assertThat(future.running()).isFalse();
		future.addDoneCallback((f) -> {
		});
		this.loop.runUntilIdle();
		assertThat(this.detector.trackedCount()).isEqualTo(1);
	}

	@Test
	@DisplayName("CB-9: a decorated done-callback that throws is logged under its own name, not the decorator's wrapper")
	void decoratedCallback_throwing_isLoggedUnderItsOwnName() {
		this.loop.close(); // a thread drives one loop at a time
		EventLoop decorated = EventLoop.builder("decorated").taskDecorator((task) -> task::run).onCurrentThread();
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			LoopFuture<String> future = decorated.newFuture();
			future.addDoneCallback(new java.util.function.Consumer<>() {

				@Override
				public void accept(LoopFuture<String> f) {
					throw new IllegalStateException("callback fails");
				}

				@Override
				public String toString() {
					return "theDecoratedCallback";
				}

			});
			future.setResult("v");
			decorated.runUntilIdle();
			assertThat(log.messages(Level.ERROR)).singleElement()
				.asString()
				.startsWith("Exception in callback theDecoratedCallback for ");
		}
		finally {
			decorated.close();
		}
	}

	@Test
	@DisplayName("a view asked for from another thread after the loop closed fails with EventLoopClosedException naming the future")
	void toCompletableFuture_afterClose_fromAnotherThread_failsNamingTheFuture() throws Exception {
		LoopFuture<String> future = this.loop.newFuture();
		future.setResult("v");
		String described = future.toString();
		this.loop.close();
		CompletableFuture<CompletableFuture<String>> view = CompletableFuture.supplyAsync(future::toCompletableFuture,
				(r) -> new Thread(r, "not-the-loop").start());
		CompletableFuture<String> closedView = view.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(closedView.isCompletedExceptionally()).isTrue();
		assertThatExceptionOfType(CompletionException.class).isThrownBy(closedView::join)
			.withCauseInstanceOf(EventLoopClosedException.class)
			.havingCause()
			.withMessage("EventLoop 'future-tests' is closed; " + described + " cannot be observed any more");
	}

	@Test
	@DisplayName("owner ends without close: pending hand-off futures are abandoned, their 3 done-callbacks counted as rejected")
	void ownerDies_pendingHandOffsAbandoned_callbacksCountedAsRejected() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(2);
		CountDownLatch never = new CountDownLatch(1);
		AtomicReference<EventLoop> made = new AtomicReference<>();
		AtomicReference<LoopFuture<String>> oneCallback = new AtomicReference<>();
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			Thread owner = new Thread(() -> {
				EventLoop orphan = EventLoop.builder("orphaned").onCurrentThread();
				made.set(orphan);
				LoopFuture<String> first = orphan.runInExecutor(pool, () -> {
					never.await(30, TimeUnit.SECONDS);
					return "late";
				});
				first.addDoneCallback((f) -> {
				});
				oneCallback.set(first);
				LoopFuture<String> second = orphan.runInExecutor(pool, () -> {
					never.await(30, TimeUnit.SECONDS);
					return "late";
				});
				second.addDoneCallback((f) -> {
				});
				second.addDoneCallback((f) -> {
				});
			}, "owner-that-ends");
			owner.start();
			owner.join(WAIT.toMillis());
			EventLoop orphan = made.get();
			assertThat(orphan.isTerminated()).isTrue(); // notices the dead owner and abandons everything
			assertThat(orphan.statistics().callbacksRejected()).as("1 + 2 done-callbacks that will never run").isEqualTo(3);
			assertThat(log.messages(Level.ERROR)).anySatisfy((message) -> assertThat(message)
				.isEqualTo("EventLoop 'orphaned' is terminated (its owner thread 'owner-that-ends' ended without closing it);"
						+ " 3 callback(s) that were queued never ran and were counted as rejected"));
		}
		finally {
			never.countDown();
			pool.shutdownNow();
		}
		assertThat(oneCallback.get()).isNotNull();
	}

}
