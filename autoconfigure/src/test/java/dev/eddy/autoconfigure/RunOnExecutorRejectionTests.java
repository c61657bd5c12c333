package dev.eddy.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.executor.NamedExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.eddy.testsupport.Cancellations.original;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A full executor rejects with a message naming it and its limits, through each return kind's
 * error channel (D-6); and closing the context leaves no future pending and no pool thread alive.
 */
@Timeout(60)
class RunOnExecutorRejectionTests {

	private static final String REJECTED = "Executor 'tiny' rejected a task: its only thread is busy and the queue is full"
			+ " (max-size=1, queue-capacity=1); raise 'eddy.executors.tiny.max-size' or 'eddy.executors.tiny.queue-capacity',"
			+ " or slow the producers down";

	private final ApplicationContextRunner runner = EddyRunners.runner()
		.withBean(Tiny.class)
		.withPropertyValues("eddy.executors.tiny.max-size=1", "eddy.executors.tiny.queue-capacity=1");

	@Test
	void whenTheExecutorIsFullShouldFailTheCompletableFuture() {
		this.runner.run((context) -> {
			Tiny tiny = context.getBean(Tiny.class);
			CountDownLatch release = fill(context, tiny);
			try {
				CompletableFuture<String> future = tiny.completable();
				assertThat(future).isCompletedExceptionally();
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
					.havingCause()
					.isInstanceOf(RejectedExecutionException.class)
					.withMessage(REJECTED);
			}
			finally {
				release.countDown();
			}
		});
	}

	@Test
	void whenTheExecutorIsFullShouldThrowToTheCallerOfAVoidMethod() {
		this.runner.run((context) -> {
			Tiny tiny = context.getBean(Tiny.class);
			CountDownLatch release = fill(context, tiny);
			try {
				assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(tiny::fireAndForget).withMessage(REJECTED);
			}
			finally {
				release.countDown();
			}
		});
	}

	@Test
	void whenTheExecutorIsFullShouldFailTheLoopFuture() {
		this.runner.run((context) -> {
			Tiny tiny = context.getBean(Tiny.class);
			CountDownLatch release = fill(context, tiny);
			try {
				LoopFuture<String> future = tiny.loopFuture();
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> future.toCompletableFuture().get(5, TimeUnit.SECONDS))
					.havingCause()
					.isInstanceOf(RejectedExecutionException.class)
					.withMessage(REJECTED);
			}
			finally {
				release.countDown();
			}
		});
	}

	/** Occupies tiny's only thread and only queue slot until the returned latch is released. */
	private static CountDownLatch fill(ConfigurableApplicationContext context, Tiny tiny) throws InterruptedException {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		tiny.block(started, release);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		tiny.block(new CountDownLatch(1), release);
		assertThat(context.getBean("tiny", NamedExecutor.class).queuedCount()).isEqualTo(1);
		return release;
	}

	@Test
	@Timeout(120) // about 1.3 s: await-termination 1s, then abandonment; not a stress test
	void whenTheContextClosesWithQueuedCallsShouldLeaveNoFuturePendingAndNoThreadAlive() {
		List<CompletableFuture<String>> futures = new ArrayList<>();
		EddyRunners.runner()
			.withBean(Tiny.class)
			.withPropertyValues("eddy.executors.tiny.max-size=2", "eddy.executors.tiny.queue-capacity=10000",
					"eddy.executors.tiny.await-termination=1s")
			.run((context) -> {
				Tiny tiny = context.getBean(Tiny.class);
				for (int i = 0; i < 10_000; i++) {
					futures.add(tiny.sleepy());
				}
			});
		int completed = 0;
		int failed = 0;
		int cancelled = 0;
		for (CompletableFuture<String> future : futures) {
			assertThat(future).as("no future is left pending").isDone();
			if (future.isCancelled()) {
				cancelled++;
				assertThat(original(catchThrowable(future::join))).isInstanceOf(CancellationException.class)
					.hasMessageContaining("Executor 'tiny' shut down before this task completed");
			}
			else if (future.isCompletedExceptionally()) {
				failed++;
			}
			else {
				completed++;
			}
		}
		assertThat(completed + failed + cancelled).isEqualTo(10_000);
		assertThat(completed).as("some calls ran within await-termination").isPositive();
		assertThat(cancelled).as("some calls were still queued at shutdown").isPositive();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (poolThreadsAlive() && System.nanoTime() < deadline) {
			EddyAutoConfigurationTests.sleep(10);
		}
		assertThat(poolThreadsAlive()).as("threads named eddy-tiny-* alive").isFalse();
	}

	private static boolean poolThreadsAlive() {
		return Thread.getAllStackTraces().keySet().stream().anyMatch((t) -> t.isAlive() && t.getName().startsWith("eddy-tiny-"));
	}

	public static class Tiny {

		@RunOnExecutor("tiny")
		public void block(CountDownLatch started, CountDownLatch release) {
			started.countDown();
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@RunOnExecutor("tiny")
		public CompletableFuture<String> completable() {
			return CompletableFuture.completedFuture("ran");
		}

		@RunOnExecutor("tiny")
		public void fireAndForget() {
		}

		@RunOnExecutor("tiny")
		public LoopFuture<String> loopFuture() {
			return LoopFuture.completed("ran");
		}

		@RunOnExecutor("tiny")
		public CompletableFuture<String> sleepy() throws InterruptedException {
			Thread.sleep(1);
			return CompletableFuture.completedFuture("slept");
		}

	}

}
