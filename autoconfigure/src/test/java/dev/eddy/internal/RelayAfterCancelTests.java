package dev.eddy.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.internal.Dispatcher.ReturnKind;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CH-8 in the dispatcher's relays: a failed future that a {@code @RunOnExecutor} body returns after
 * the caller cancelled the call's future is not copied, so it keeps its duty to be observed and is
 * reported when dropped, whether it is a stage, a pending LoopFuture or a completed one.
 */
class RelayAfterCancelTests {

	private final List<UnobservedFailure> reports = new CopyOnWriteArrayList<>();

	private final UnobservedFailureDetector detector = UnobservedFailureDetector.builder()
		.level(UnobservedFailureDetector.Level.SIMPLE)
		.listener(this.reports::add)
		.build();

	private final DefaultEventLoop loop = (DefaultEventLoop) dev.eddy.loop.EventLoop.builder("relay")
		.unobservedFailureDetector(this.detector)
		.start();

	private final NamedExecutor pool = NamedExecutor.create(ExecutorSpec.builder("io").build());

	private final Dispatcher dispatcher = new Dispatcher(this.loop, this.detector, null);

	private final CountDownLatch go = new CountDownLatch(1);

	@AfterEach
	void close() {
		this.pool.close();
		this.loop.close();
		this.detector.close();
	}

	@Test
	void aFailedStageReturnedAfterTheCallerCancelled_isStillReported() throws Exception {
		CountDownLatch returned = new CountDownLatch(1);
		CompletableFuture<?> outer = (CompletableFuture<?>) this.dispatcher.dispatch(ReturnKind.COMPLETABLE_FUTURE, this.pool,
				"Service#call", () -> {
					this.go.await();
					EddyCompletableFuture<Object> inner = EddyCompletableFuture.tracked(null, this.detector, "Inner#call",
							EddyCompletableFuture.labelFor("Inner#call"));
					inner.completeExceptionally(new IllegalStateException("lost"));
					returned.countDown();
					return inner;
				});
		outer.cancel(false); // the caller gave up; the body runs on (ROE-9)
		this.go.countDown();
		assertThat(returned.await(5, TimeUnit.SECONDS)).isTrue();
		assertReportedAfterGc("lost");
	}

	@Test
	void aFailedLoopFutureReturnedAfterTheCallerCancelled_isStillReported() throws Exception {
		LoopFuture<?> outer = dispatchLoopFuture(() -> {
			LoopFuture<Object> inner = this.loop.newFuture();
			this.loop.execute(() -> inner.setException(new IllegalStateException("lost")));
			return inner;
		});
		cancelOnTheLoopThenRelease(outer);
		assertReportedAfterGc("lost");
	}

	@Test
	void aCompletedFailedLoopFutureReturnedAfterTheCallerCancelled_isStillReported() throws Exception {
		// made on the loop's thread, so that the loop's detector tracks it
		LoopFuture<?> outer = dispatchLoopFuture(() -> CompletableFuture
			.supplyAsync(() -> LoopFuture.failed(new IllegalStateException("lost completed")), this.loop::execute)
			.get(5, TimeUnit.SECONDS));
		cancelOnTheLoopThenRelease(outer);
		assertReportedAfterGc("lost completed");
	}

	private LoopFuture<?> dispatchLoopFuture(Dispatcher.Body afterRelease) {
		return (LoopFuture<?>) this.dispatcher.dispatch(ReturnKind.LOOP_FUTURE, this.pool, "Service#call", () -> {
			this.go.await();
			return afterRelease.call();
		});
	}

	private void cancelOnTheLoopThenRelease(LoopFuture<?> outer) throws InterruptedException {
		CountDownLatch cancelled = new CountDownLatch(1);
		this.loop.execute(() -> {
			outer.cancel();
			cancelled.countDown();
		});
		assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
		this.go.countDown();
	}

	private void assertReportedAfterGc(String message) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.reports.isEmpty() && System.nanoTime() < deadline) {
			System.gc();
			Thread.sleep(20);
		}
		assertThat(this.reports).as("reports of the uncopied failure").extracting((r) -> r.exception().getMessage())
			.containsExactly(message);
	}

}
