package dev.eddy.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.internal.Dispatcher.ReturnKind;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CH-8 in {@code Dispatcher.relayLoopFuture}: a failed LoopFuture returned by a
 * {@code @RunOnExecutor} body after the caller cancelled the call's future is not copied, so it
 * keeps its duty to be observed, and is reported when dropped; pending and completed alike.
 */
class RelayLoopFutureAfterCancelTests {

	@Test
	void aCompletedFailedLoopFutureReturnedAfterTheCallerCancelled_isStillReported() throws Exception {
		List<UnobservedFailure> reports = new CopyOnWriteArrayList<>();
		UnobservedFailureDetector detector = UnobservedFailureDetector.builder()
			.level(UnobservedFailureDetector.Level.SIMPLE)
			.listener(reports::add)
			.build();
		DefaultEventLoop loop = (DefaultEventLoop) dev.eddy.loop.EventLoop.builder("relay-completed")
			.unobservedFailureDetector(detector)
			.start();
		NamedExecutor pool = NamedExecutor.create(ExecutorSpec.builder("io").build());
		try {
			Dispatcher dispatcher = new Dispatcher(loop, detector, null);
			CountDownLatch go = new CountDownLatch(1);
			LoopFuture<?> outer = (LoopFuture<?>) dispatcher.dispatch(ReturnKind.LOOP_FUTURE, pool, "Service#call", () -> {
				go.await();
				// made on the loop's thread, so that the loop's detector tracks it
				return java.util.concurrent.CompletableFuture
					.supplyAsync(() -> LoopFuture.failed(new IllegalStateException("lost completed")), loop::execute)
					.get(5, TimeUnit.SECONDS);
			});
			CountDownLatch cancelled = new CountDownLatch(1);
			loop.execute(() -> {
				outer.cancel();
				cancelled.countDown();
			});
			assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
			go.countDown();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (reports.isEmpty() && System.nanoTime() < deadline) {
				System.gc();
				Thread.sleep(20);
			}
			assertThat(reports).as("reports of the uncopied failure").extracting((r) -> r.exception().getMessage())
				.containsExactly("lost completed");
		}
		finally {
			pool.close();
			loop.close();
			detector.close();
		}
	}

	@Test
	void aFailedLoopFutureReturnedAfterTheCallerCancelled_isStillReported() throws Exception {
		List<UnobservedFailure> reports = new CopyOnWriteArrayList<>();
		UnobservedFailureDetector detector = UnobservedFailureDetector.builder()
			.level(UnobservedFailureDetector.Level.SIMPLE)
			.listener(reports::add)
			.build();
		DefaultEventLoop loop = (DefaultEventLoop) dev.eddy.loop.EventLoop.builder("relay").unobservedFailureDetector(detector).start();
		NamedExecutor pool = NamedExecutor.create(ExecutorSpec.builder("io").build());
		try {
			Dispatcher dispatcher = new Dispatcher(loop, detector, null);
			CountDownLatch go = new CountDownLatch(1);
			LoopFuture<?> outer = (LoopFuture<?>) dispatcher.dispatch(ReturnKind.LOOP_FUTURE, pool, "Service#call", () -> {
				go.await();
				LoopFuture<Object> inner = loop.newFuture();
				loop.execute(() -> inner.setException(new IllegalStateException("lost")));
				return inner;
			});
			CountDownLatch cancelled = new CountDownLatch(1);
			loop.execute(() -> {
				outer.cancel();
				cancelled.countDown();
			});
			assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
			go.countDown();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (reports.isEmpty() && System.nanoTime() < deadline) {
				System.gc();
				Thread.sleep(20);
			}
			assertThat(reports).as("reports of the uncopied failure").extracting((r) -> r.exception().getMessage())
				.containsExactly("lost");
		}
		finally {
			pool.close();
			loop.close();
			detector.close();
		}
	}

}
