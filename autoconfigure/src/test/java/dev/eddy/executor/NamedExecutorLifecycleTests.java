package dev.eddy.executor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import ch.qos.logback.classic.Level;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A {@link NamedExecutor}'s counters, observer and close, without Spring: what
 * {@link NamedExecutorTests} does not reach. The observer sees every task start and finish once
 * with plausible durations; close abandons the tasks still queued and those still running past
 * await-termination and its grace, each once, and keeps the closing thread's interrupt.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NamedExecutorLifecycleTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private NamedExecutor executor;

	@AfterEach
	void tearDown() {
		this.release.countDown();
		if (this.executor != null) {
			this.executor.close();
		}
	}

	/** What a {@link NamedExecutor.TaskObserver} was told, in order. */
	static final class Recorder implements NamedExecutor.TaskObserver {

		final List<String> events = new CopyOnWriteArrayList<>();

		final List<Long> nanos = new CopyOnWriteArrayList<>();

		@Override
		public void started(long queuedNanos) {
			this.events.add("started");
			this.nanos.add(queuedNanos);
		}

		@Override
		public void finished(NamedExecutor.Outcome outcome, long runNanos) {
			this.events.add("finished " + outcome);
			this.nanos.add(runNanos);
		}

		@Override
		public void rejected() {
			this.events.add("rejected");
		}

	}

	@Test
	@DisplayName("counters and observer: a success and a failure each started and finished once, durations within bounds")
	void observer_seesEachTaskOnce_withPlausibleDurations() throws Exception {
		this.executor = NamedExecutor.create(ExecutorSpec.builder("obs").maxSize(1).build());
		Recorder recorder = new Recorder();
		this.executor.observer(recorder);
		CountDownLatch done = new CountDownLatch(2);
		this.executor.execute(() -> {
			sleep(30);
			done.countDown();
		});
		this.executor.execute(() -> {
			done.countDown();
			throw new IllegalStateException("fails, counted");
		}, (cancelled) -> {
		});
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		awaitTrue(() -> recorder.events.size() == 4); // finished() is told after the counters count
		assertThat(this.executor.succeededCount()).isEqualTo(1);
		assertThat(this.executor.failedCount()).isEqualTo(1);
		assertThat(this.executor.inFlightCount()).isZero();
		assertThat(recorder.events).containsExactly("started", "finished SUCCESS", "started", "finished FAILURE");
		long tenSeconds = TimeUnit.SECONDS.toNanos(10);
		assertThat(recorder.nanos).allSatisfy((n) -> assertThat(n).isBetween(0L, tenSeconds));
		assertThat(recorder.nanos.get(1)).as("the first task ran at least its 30 ms").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
		assertThat(recorder.nanos.get(2)).as("the second waited in the queue behind it").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
	}

	@Test
	@DisplayName("while a task runs: active 1, in flight 2 with one queued (shown by the queue as the body), not terminated")
	void counts_whileRunning() throws Exception {
		this.executor = NamedExecutor.create(ExecutorSpec.builder("busy").maxSize(1).queueCapacity(4).build());
		CountDownLatch started = new CountDownLatch(1);
		this.executor.execute(() -> {
			started.countDown();
			await(this.release);
		});
		Runnable queued = new Runnable() {

			@Override
			public void run() {
			}

			@Override
			public String toString() {
				return "the queued body";
			}

		};
		this.executor.execute(queued);
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.executor.activeCount()).isEqualTo(1);
		assertThat(this.executor.queuedCount()).isEqualTo(1);
		assertThat(this.executor.inFlightCount()).isEqualTo(2);
		assertThat(this.executor.threadPool().getQueue().peek()).hasToString("the queued body");
		assertThat(this.executor).hasToString("NamedExecutor[busy](platform, active=1, queued=1, max-size=1, queue-capacity=4)");
		assertThat(this.executor.isShutdown()).isFalse();
		assertThat(this.executor.isTerminated()).isFalse();
		this.release.countDown();
		awaitTrue(() -> this.executor.succeededCount() == 2);
		assertThat(this.executor.inFlightCount()).isZero();
	}

	@Test
	@DisplayName("a rejected task is counted once and told to the observer")
	void rejection_isCountedAndObserved() throws Exception {
		this.executor = NamedExecutor.create(ExecutorSpec.builder("full").maxSize(1).queueCapacity(1).build());
		Recorder recorder = new Recorder();
		this.executor.observer(recorder);
		CountDownLatch started = new CountDownLatch(1);
		this.executor.execute(() -> {
			started.countDown();
			await(this.release);
		});
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		this.executor.execute(() -> {
		});
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> this.executor.execute(() -> {
		}));
		assertThat(this.executor.rejectedCount()).isEqualTo(1);
		assertThat(this.executor.inFlightCount()).isEqualTo(2);
		assertThat(recorder.events).containsExactly("started", "rejected");
	}

	@Test
	@DisplayName("close past await-termination and its grace: the running and the queued task abandoned once each, told, warned")
	void close_abandonsRunningAndQueued_eachOnce() throws Exception {
		this.executor = NamedExecutor.create(ExecutorSpec.builder("slow").maxSize(1).queueCapacity(2)
			.awaitTermination(Duration.ofMillis(50)).build());
		Recorder recorder = new Recorder();
		this.executor.observer(recorder);
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean queuedRan = new AtomicBoolean();
		List<CancellationException> abandoned = new CopyOnWriteArrayList<>();
		this.executor.execute(() -> {
			started.countDown();
			awaitUninterruptibly(this.release); // outlives shutdownNow's interrupt and the 1 s grace
		}, abandoned::add);
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		this.executor.execute(() -> queuedRan.set(true), abandoned::add);
		try (LogCapture log = LogCapture.of(NamedExecutor.class.getName())) {
			this.executor.close();
			assertThat(log.messages(Level.WARN)).containsExactly("Executor 'slow' abandoned 2 task(s) that had not completed"
					+ " within await-termination PT0.05S; their futures were cancelled");
		}
		assertThat(abandoned).hasSize(2).allSatisfy((ex) -> assertThat(ex)
			.hasMessage("Executor 'slow' shut down before this task completed (await-termination PT0.05S)"));
		assertThat(this.executor.abandonedCount()).isEqualTo(2);
		assertThat(this.executor.inFlightCount()).isZero();
		assertThat(recorder.events).containsExactly("started", "finished CANCELLED", "finished CANCELLED");
		this.release.countDown();
		awaitTrue(this.executor::isTerminated);
		assertThat(queuedRan).isFalse();
		assertThat(this.executor.succeededCount()).as("an abandoned task that ends later is not counted again").isZero();
		assertThat(recorder.events).hasSize(3);
	}

	@Test
	@DisplayName("close within await-termination: nothing abandoned, nothing warned")
	void close_inTime_abandonsNothing() throws Exception {
		this.executor = NamedExecutor.create(ExecutorSpec.builder("quick").maxSize(1).build());
		CountDownLatch ran = new CountDownLatch(1);
		this.executor.execute(() -> {
			sleep(50);
			ran.countDown();
		});
		try (LogCapture log = LogCapture.of(NamedExecutor.class.getName())) {
			this.executor.close();
			assertThat(log.messages(Level.WARN)).isEmpty();
		}
		assertThat(ran.getCount()).isZero();
		assertThat(this.executor.abandonedCount()).isZero();
		assertThat(this.executor.succeededCount()).isEqualTo(1);
		assertThat(this.executor.isTerminated()).isTrue();
	}

	@Test
	@DisplayName("close on an interrupted thread: stops the pool at once, abandons what is left, and keeps the interrupt")
	void close_interrupted_keepsTheInterrupt() throws Exception {
		this.executor = NamedExecutor.create(ExecutorSpec.builder("intr").maxSize(1).build());
		CountDownLatch started = new CountDownLatch(1);
		List<CancellationException> abandoned = new CopyOnWriteArrayList<>();
		this.executor.execute(() -> {
			started.countDown();
			awaitUninterruptibly(this.release);
		}, abandoned::add);
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
		Thread closer = new Thread(() -> {
			Thread.currentThread().interrupt();
			this.executor.close();
			interruptedAfter.complete(Thread.currentThread().isInterrupted());
		});
		closer.start();
		assertThat(interruptedAfter.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(abandoned).hasSize(1);
		assertThat(this.executor.isShutdown()).isTrue();
	}

	@Test
	@DisplayName("platform threads are not daemons even when a daemon thread starts them")
	void platformThreads_areNotDaemons() throws Exception {
		this.executor = NamedExecutor.create(ExecutorSpec.builder("nd").maxSize(1).build());
		CompletableFuture<Boolean> daemon = new CompletableFuture<>();
		Thread starter = new Thread(() -> this.executor.execute(() -> daemon.complete(Thread.currentThread().isDaemon())));
		starter.setDaemon(true);
		starter.start();
		assertThat(daemon.get(10, TimeUnit.SECONDS)).isFalse();
	}

	@Test
	@DisplayName("keepAliveNanos: the spec's keep-alive in nanoseconds, saturated past Long.MAX_VALUE")
	void keepAliveNanos_saturates() {
		assertThat(NamedExecutor.keepAliveNanos(ExecutorSpec.defaults("k"))).isEqualTo(TimeUnit.SECONDS.toNanos(60));
		ExecutorSpec forever = ExecutorSpec.builder("k").keepAlive(Duration.ofSeconds(Long.MAX_VALUE)).build();
		assertThat(NamedExecutor.keepAliveNanos(forever)).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	@DisplayName("virtualThreads before Java 21 is refused naming the kind key")
	void virtualThreads_beforeJava21_isRefused() {
		assumeThat(Runtime.version().feature()).isLessThan(21);
		assertThatExceptionOfType(InvalidExecutorSpecException.class)
			.isThrownBy(() -> NamedExecutor.virtualThreads(ExecutorSpec.defaults("v")))
			.withMessageStartingWith("'eddy.executors.v.kind' is virtual, which needs Java 21 or later");
	}

	@Test
	@DisplayName("virtualThreads on Java 21+ makes virtual threads named with the prefix")
	void virtualThreads_onJava21_makesNamedVirtualThreads() {
		assumeThat(Runtime.version().feature()).isGreaterThanOrEqualTo(21);
		ThreadFactory factory = NamedExecutor.virtualThreads(ExecutorSpec.defaults("v"));
		Thread thread = factory.newThread(() -> {
		});
		assertThat(thread.getName()).isEqualTo("eddy-v-0");
		assertThat(thread.isDaemon()).as("virtual threads are daemons").isTrue();
	}

	private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime() - deadline).as("condition not met within 10 s").isNegative();
			Thread.sleep(5);
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		boolean interrupted = false;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (latch.getCount() > 0 && System.nanoTime() < deadline) {
			try {
				latch.await(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
