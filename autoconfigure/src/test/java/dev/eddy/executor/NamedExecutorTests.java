package dev.eddy.executor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link NamedExecutor} without Spring: rejection messages, caller-runs on and off a loop
 * thread, and shutdown abandoning what did not complete.
 */
@Timeout(30)
class NamedExecutorTests {

	private static final String FULL = "Executor 'io' rejected a task: its only thread is busy and the queue is full"
			+ " (max-size=1, queue-capacity=1)";

	private static final String FIX = "; raise 'eddy.executors.io.max-size' or 'eddy.executors.io.queue-capacity',"
			+ " or slow the producers down";

	private final CountDownLatch release = new CountDownLatch(1);

	private NamedExecutor executor;

	private EventLoop loop;

	@AfterEach
	void tearDown() {
		this.release.countDown();
		if (this.executor != null) {
			this.executor.close();
		}
		if (this.loop != null) {
			this.loop.close();
		}
	}

	@Test
	void execute_manyFailingTasks_logIsRateLimitedAndEveryFailureCounted() throws Exception {
		try (dev.eddy.testsupport.LogCapture log = dev.eddy.testsupport.LogCapture.of(NamedExecutor.class.getName())) {
			this.executor = NamedExecutor.create(ExecutorSpec.builder("io").maxSize(1).queueCapacity(20_000).build());
			for (int i = 0; i < 10_000; i++) {
				this.executor.execute(() -> {
					throw new IllegalStateException("task failed");
				});
			}
			this.executor.close();
			assertThat(this.executor.failedCount()).isEqualTo(10_000);
			List<String> lines = log.messages(ch.qos.logback.classic.Level.ERROR);
			assertThat(lines).as("one trace per distinct failure per window, then a summary at close").hasSize(2);
			assertThat(lines.get(0)).startsWith("Uncaught exception in task ").endsWith(" on executor 'io'");
			assertThat(lines.get(1)).startsWith("9999 similar error(s) were not logged");
		}
	}

	@Test
	void create_usesTheSpec() {
		this.executor = NamedExecutor.create(ExecutorSpec.builder("io").coreSize(2).maxSize(3).queueCapacity(7).build());
		assertThat(this.executor.name()).isEqualTo("io");
		assertThat(this.executor.threadPool().getCorePoolSize()).isEqualTo(2);
		assertThat(this.executor.threadPool().getMaximumPoolSize()).isEqualTo(3);
		assertThat(this.executor.threadPool().getQueue().remainingCapacity()).isEqualTo(7);
	}

	@Test
	void execute_runsOnAThreadWithThePrefix() throws Exception {
		this.executor = NamedExecutor.create(ExecutorSpec.defaults("io"));
		CompletableFuture<String> thread = new CompletableFuture<>();
		this.executor.execute(() -> thread.complete(Thread.currentThread().getName()));
		assertThat(thread.get(5, TimeUnit.SECONDS)).startsWith("eddy-io-");
	}

	@Test
	void execute_whenFullWithAbort_throwsNamingTheExecutorAndItsLimits() throws Exception {
		this.executor = NamedExecutor.create(tiny(RejectionPolicy.ABORT));
		fill();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> this.executor.execute(() -> {
		})).withMessage(FULL + FIX);
		assertThat(this.executor.rejectedCount()).isEqualTo(1);
	}

	@Test
	void execute_whenFullWithCallerRunsOffTheLoop_runsOnTheCaller() throws Exception {
		this.executor = NamedExecutor.create(tiny(RejectionPolicy.CALLER_RUNS));
		fill();
		AtomicReference<Thread> ranOn = new AtomicReference<>();
		this.executor.execute(() -> ranOn.set(Thread.currentThread()));
		assertThat(ranOn.get()).isSameAs(Thread.currentThread());
	}

	@Test
	void execute_whenFullWithCallerRunsOnALoopThread_isRefused() throws Exception {
		this.executor = NamedExecutor.create(tiny(RejectionPolicy.CALLER_RUNS));
		this.loop = EventLoop.create("caller");
		fill();
		AtomicBoolean ran = new AtomicBoolean();
		CompletableFuture<Throwable> thrown = new CompletableFuture<>();
		this.loop.execute(() -> {
			try {
				this.executor.execute(() -> ran.set(true));
				thrown.complete(null);
			}
			catch (RuntimeException ex) {
				thrown.complete(ex);
			}
		});
		assertThat(thrown.get(5, TimeUnit.SECONDS)).isInstanceOf(RejectedExecutionException.class)
			.hasMessage(FULL + "; rejection-policy=caller-runs is refused on the thread of EventLoop 'caller', where running"
					+ " the task would block the loop" + FIX);
		assertThat(ran).isFalse();
	}

	@Test
	void close_abandonsQueuedTasksWithACancellationNamingTheExecutor() throws Exception {
		this.executor = NamedExecutor.create(ExecutorSpec.builder("io")
			.maxSize(1)
			.queueCapacity(2)
			.awaitTermination(Duration.ofMillis(100))
			.build());
		CountDownLatch started = new CountDownLatch(1);
		this.executor.execute(() -> {
			started.countDown();
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, (reason) -> {
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		List<CancellationException> abandoned = new CopyOnWriteArrayList<>();
		AtomicBoolean queuedRan = new AtomicBoolean();
		for (int i = 0; i < 2; i++) {
			this.executor.execute(() -> queuedRan.set(true), abandoned::add);
		}
		this.executor.close();
		assertThat(queuedRan).isFalse();
		assertThat(abandoned).hasSize(2)
			.allSatisfy((ex) -> assertThat(ex)
				.hasMessage("Executor 'io' shut down before this task completed (await-termination PT0.1S)"));
		assertThat(this.executor.abandonedCount()).isEqualTo(2);
		assertThat(this.executor.inFlightCount()).isZero();
		assertThat(this.executor.isTerminated()).isTrue();
	}

	@Test
	void execute_afterClose_isRefusedNamingTheExecutor() {
		this.executor = NamedExecutor.create(ExecutorSpec.defaults("io"));
		this.executor.close();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> this.executor.execute(() -> {
		})).withMessage("Executor 'io' is shut down and accepts no new tasks");
	}

	private static ExecutorSpec tiny(RejectionPolicy policy) {
		return ExecutorSpec.builder("io").maxSize(1).queueCapacity(1).rejectionPolicy(policy).build();
	}

	/** Occupies the only thread and the only queue slot until {@link #release}. */
	private void fill() throws InterruptedException {
		CountDownLatch started = new CountDownLatch(1);
		Runnable blocker = () -> {
			started.countDown();
			try {
				this.release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
		this.executor.execute(blocker);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		this.executor.execute(blocker);
		assertThat(this.executor.queuedCount()).isEqualTo(1);
	}

}
