package dev.eddy.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.internal.Dispatcher.ReturnKind;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** CH-8 in Dispatcher.relayStage: a returned stage's failure counts as observed only if it is copied. */
class RelayStageAfterCancelTests {

	@Test
	void aFailedStageReturnedAfterTheCallerCancelled_isStillReported() throws Exception {
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
			CountDownLatch returned = new CountDownLatch(1);
			CompletableFuture<?> outer = (CompletableFuture<?>) dispatcher.dispatch(ReturnKind.COMPLETABLE_FUTURE, pool,
					"Service#call", () -> {
						go.await();
						EddyCompletableFuture<Object> inner = EddyCompletableFuture.tracked(null, detector, "Inner#call",
								EddyCompletableFuture.labelFor("Inner#call"));
						inner.completeExceptionally(new IllegalStateException("lost"));
						returned.countDown();
						return inner;
					});
			outer.cancel(false); // the caller gave up; the body runs on (ROE-9)
			go.countDown();
			assertThat(returned.await(5, TimeUnit.SECONDS)).isTrue();
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
