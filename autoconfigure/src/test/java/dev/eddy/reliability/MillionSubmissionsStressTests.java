package dev.eddy.reliability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import dev.eddy.micrometer.EddyMeters;
import dev.eddy.unobserved.UnobservedFailureDetector;
import io.micrometer.core.instrument.MeterRegistry;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.eddy.reliability.ReliabilityFixture.await;
import static dev.eddy.reliability.ReliabilityFixture.callbacks;
import static dev.eddy.reliability.ReliabilityFixture.gauge;
import static dev.eddy.reliability.ReliabilityFixture.millisSince;
import static dev.eddy.reliability.ReliabilityFixture.tasks;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One million submissions from 4 producer threads through the three entry points, in one
 * application context: 400,000 {@code loop.execute}, 300,000 {@code loop.runInExecutor} on a named
 * executor and 300,000 calls of a {@code @RunOnExecutor} bean, with 5 % failing bodies and 1 % of
 * the returned futures cancelled by the test. The context is closed while the producers of the
 * third phase are still submitting. Every count is kept on the test side and checked against
 * Eddy's own statistics and meters.
 */
@Tag("stress")
class MillionSubmissionsStressTests {

	private final SoftAssertions meterChecks = new SoftAssertions();

	static final int PRODUCERS = 4;

	static final int EXECUTE_PER_PRODUCER = 100_000;

	static final int RUN_IN_EXECUTOR_PER_PRODUCER = 75_000;

	static final int ROE_PER_PRODUCER = 75_000;

	/** The third phase closes the context once this many of its calls were made. */
	static final int CLOSE_AFTER = ROE_PER_PRODUCER * PRODUCERS / 2;

	/** Index i fails when i % 20 == 7 (5 %). */
	static boolean fails(int index) {
		return index % 20 == 7;
	}

	/** The test cancels the future of index i when i % 100 == 3 (1 %). */
	static boolean cancels(int index) {
		return index % 100 == 3;
	}

	@Test
	@Timeout(value = 180, unit = TimeUnit.SECONDS)
	@DisplayName("1,000,000 submissions through execute, runInExecutor and @RunOnExecutor: every one accounted for exactly once")
	void millionSubmissions_eachAccountedForExactlyOnce() {
		ReliabilityFixture.runner()
			.withUserConfiguration(WorkerConfig.class)
			.withPropertyValues("eddy.executors.io.max-size=4", "eddy.executors.io.queue-capacity=20000",
					"eddy.executors.roe.max-size=4", "eddy.executors.roe.queue-capacity=20000",
					"eddy.executors.roe.await-termination=20s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				long started = System.nanoTime();
				executePhase(context);
				long afterExecute = System.nanoTime();
				runInExecutorPhase(context);
				long afterRunInExecutor = System.nanoTime();
				runOnExecutorPhase(context);
				this.meterChecks.assertAll();
				System.out.printf("MillionSubmissionsStressTests: execute %d ms, runInExecutor %d ms, @RunOnExecutor %d ms,"
						+ " total %d ms%n", (afterExecute - started) / 1_000_000, (afterRunInExecutor - afterExecute) / 1_000_000,
						millisSince(afterRunInExecutor), millisSince(started));
			});
	}

	// ------------------------------------------------------------------ phase 1: execute

	private void executePhase(AssertableApplicationContext context) throws Exception {
		EventLoop loop = context.getBean(EventLoop.class);
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		Thread loopThread = CompletableFuture.supplyAsync(Thread::currentThread, loop::execute).get(10, TimeUnit.SECONDS);
		int total = PRODUCERS * EXECUTE_PER_PRODUCER;
		long errorsBefore = callbacks(registry, "error");
		long failedBefore = loop.statistics().callbacksFailed();
		AtomicIntegerArray runs = new AtomicIntegerArray(total);
		int[] lastSeen = new int[PRODUCERS]; // loop thread only
		Arrays.fill(lastSeen, -1);
		long[] outOfOrder = new long[1]; // loop thread only
		long[] offLoop = new long[1]; // loop thread only
		LongAdder submitted = new LongAdder();
		LongAdder rejected = new LongAdder();
		AtomicLong ran = new AtomicLong();
		AtomicLong threw = new AtomicLong();
		long started = System.nanoTime();
		runProducers("execute", (producer) -> {
			for (int i = 0; i < EXECUTE_PER_PRODUCER; i++) {
				int index = producer * EXECUTE_PER_PRODUCER + i;
				int sequence = i;
				submitted.increment();
				try {
					loop.execute(() -> {
						if (Thread.currentThread() != loopThread) {
							offLoop[0]++;
						}
						if (sequence <= lastSeen[producer]) {
							outOfOrder[0]++;
						}
						lastSeen[producer] = sequence;
						runs.incrementAndGet(index);
						ran.incrementAndGet();
						if (fails(sequence)) {
							threw.incrementAndGet();
							throw new IllegalStateException("planned failure " + index);
						}
					});
				}
				catch (RejectedExecutionException ex) {
					rejected.increment();
				}
			}
		});
		await(60, () -> "execute callbacks ran: " + ran.get() + " of " + total, () -> ran.get() == total);
		long[] loopSide = CompletableFuture
			.supplyAsync(() -> new long[] { outOfOrder[0], offLoop[0], lastSeen[0], lastSeen[1], lastSeen[2], lastSeen[3] },
					loop::execute)
			.get(10, TimeUnit.SECONDS);
		long failed = threw.get();
		long succeeded = ran.get() - failed;
		System.out.printf("  execute: submitted=%,d succeeded=%,d failed=%,d rejected=%,d in %d ms%n", submitted.sum(),
				succeeded, failed, rejected.sum(), millisSince(started));
		assertThat(submitted.sum()).isEqualTo(total).isEqualTo(succeeded + failed + rejected.sum());
		assertThat(rejected.sum()).isZero();
		assertThat(failed).isEqualTo(total / 20);
		assertExactlyOnce("execute callback", runs);
		assertThat(loopSide[0]).as("callbacks out of their producer's order").isZero();
		assertThat(loopSide[1]).as("callbacks off the loop thread").isZero();
		for (int p = 0; p < PRODUCERS; p++) {
			assertThat(loopSide[2 + p]).as("last sequence of producer %d", p).isEqualTo(EXECUTE_PER_PRODUCER - 1);
		}
		assertThat(loop.statistics().callbacksFailed() - failedBefore).as("LoopStatistics.callbacksFailed").isEqualTo(failed);
		assertThat(callbacks(registry, "error") - errorsBefore).as(EddyMeters.LOOP_CALLBACKS + "{outcome=error}")
			.isEqualTo(failed);
		await(10, () -> "loop pending " + loop.statistics().pending(), () -> loop.statistics().pending() == 0);
		assertThat(gauge(registry, EddyMeters.LOOP_PENDING, "loop", loop.name())).isZero();
	}

	// ------------------------------------------------------------------ phase 2: runInExecutor

	private void runInExecutorPhase(AssertableApplicationContext context) throws Exception {
		EventLoop loop = context.getBean(EventLoop.class);
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		UnobservedFailureDetector detector = context.getBean(UnobservedFailureDetector.class);
		NamedExecutor io = context.getBean(NamedExecutors.class).managed().get("io");
		Thread loopThread = CompletableFuture.supplyAsync(Thread::currentThread, loop::execute).get(10, TimeUnit.SECONDS);
		int total = PRODUCERS * RUN_IN_EXECUTOR_PER_PRODUCER;
		AtomicIntegerArray bodies = new AtomicIntegerArray(total);
		AtomicIntegerArray doneCallbacks = new AtomicIntegerArray(total);
		AtomicLong bodiesOffPool = new AtomicLong();
		AtomicLong bodiesThrew = new AtomicLong();
		LongAdder submitted = new LongAdder();
		AtomicLong succeeded = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicLong cancelled = new AtomicLong();
		AtomicLong rejected = new AtomicLong();
		AtomicLong callbacksOffLoop = new AtomicLong();
		AtomicLong cancelCalls = new AtomicLong();
		long tasksSuccessBefore = tasks(registry, "io", "success");
		long tasksFailureBefore = tasks(registry, "io", "failure");
		long started = System.nanoTime();
		runProducers("runInExecutor", (producer) -> {
			for (int i = 0; i < RUN_IN_EXECUTOR_PER_PRODUCER; i++) {
				int index = producer * RUN_IN_EXECUTOR_PER_PRODUCER + i;
				submitted.increment();
				LoopFuture<Integer> future = loop.runInExecutor(io, () -> {
					bodies.incrementAndGet(index);
					if (!Thread.currentThread().getName().startsWith("eddy-io-")) {
						bodiesOffPool.incrementAndGet();
					}
					if (fails(index)) {
						bodiesThrew.incrementAndGet();
						throw new java.io.IOException("planned failure " + index);
					}
					return index;
				});
				boolean cancel = cancels(index);
				loop.execute(() -> {
					if (cancel) {
						cancelCalls.incrementAndGet();
						future.cancel("cancelled by the test");
					}
					future.addDoneCallback((done) -> {
						if (Thread.currentThread() != loopThread) {
							callbacksOffLoop.incrementAndGet();
						}
						doneCallbacks.incrementAndGet(index);
						if (done.cancelled()) {
							cancelled.incrementAndGet();
						}
						else if (done.exception() instanceof RejectedExecutionException) {
							rejected.incrementAndGet();
						}
						else if (done.exception() != null) {
							failed.incrementAndGet();
						}
						else {
							succeeded.incrementAndGet();
						}
					});
				});
			}
		});
		AtomicLong accounted = new AtomicLong();
		await(60, () -> "runInExecutor futures done: " + accounted.get() + " of " + total, () -> {
			accounted.set(succeeded.get() + failed.get() + cancelled.get() + rejected.get());
			return accounted.get() == total;
		});
		await(20, () -> "io in flight " + io.inFlightCount(), () -> io.inFlightCount() == 0 && io.activeCount() == 0);
		System.out.printf("  runInExecutor: submitted=%,d succeeded=%,d failed=%,d cancelled=%,d rejected=%,d in %d ms%n",
				submitted.sum(), succeeded.get(), failed.get(), cancelled.get(), rejected.get(), millisSince(started));
		assertThat(submitted.sum()).isEqualTo(total)
			.isEqualTo(succeeded.get() + failed.get() + cancelled.get() + rejected.get());
		assertExactlyOnce("runInExecutor done-callback", doneCallbacks);
		assertThat(callbacksOffLoop.get()).as("done-callbacks off the loop thread").isZero();
		assertThat(bodiesOffPool.get()).as("bodies off the io pool").isZero();
		assertThat(cancelCalls.get()).isEqualTo(total / 100);
		assertThat(cancelled.get()).as("cancelled futures (a cancel may lose to the completion)").isLessThanOrEqualTo(total / 100);
		// every body ran exactly once unless its submission was rejected
		long bodyRuns = 0;
		for (int i = 0; i < total; i++) {
			assertThat(bodies.get(i)).as("body %d runs", i).isLessThanOrEqualTo(1);
			bodyRuns += bodies.get(i);
		}
		assertThat(bodyRuns).as("bodies that ran").isEqualTo(total - rejected.get());
		assertThat(rejected.get()).as("rejections of the io executor").isEqualTo(io.rejectedCount());
		assertThat(tasks(registry, "io", "rejected")).isEqualTo(rejected.get());
		assertThat(tasks(registry, "io", "success") - tasksSuccessBefore + tasks(registry, "io", "failure") - tasksFailureBefore)
			.as("io tasks timed").isEqualTo(bodyRuns);
		assertThat(io.succeededCount() + io.failedCount()).isEqualTo(bodyRuns);
		// docs/metrics.md: outcome 'failure' = the body threw; its future failed
		// checked softly so that phase 3 still runs when this one disagrees
		this.meterChecks.assertThat(tasks(registry, "io", "failure") - tasksFailureBefore).as(EddyMeters.EXECUTOR_TASKS
				+ "{name=io,outcome=failure} against bodies that threw").isEqualTo(bodiesThrew.get());
		await(10, () -> "loop pending " + loop.statistics().pending(), () -> loop.statistics().pending() == 0);
		assertThat(gauge(registry, EddyMeters.LOOP_PENDING, "loop", loop.name())).isZero();
		assertThat(gauge(registry, "executor.active", "name", "io")).isZero();
		assertThat(gauge(registry, "executor.queued", "name", "io")).isZero();
		assertThat(detector.trackedCount()).as("live trackers after every failure was observed").isZero();
		assertThat(registry.get(EddyMeters.UNOBSERVED_TRACKED).gauge().value()).isZero();
		ReliabilityFixture.settleGc();
		assertThat(detector.reportedCount()).as("reports: every failure was observed").isZero();
		assertThat(registry.find(EddyMeters.UNOBSERVED).counters()).allSatisfy((c) -> assertThat(c.count()).isZero());
	}

	// ------------------------------------------------------------------ phase 3: @RunOnExecutor + shutdown

	private void runOnExecutorPhase(AssertableApplicationContext context) throws Exception {
		Worker worker = context.getBean(Worker.class);
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		UnobservedFailureDetector detector = context.getBean(UnobservedFailureDetector.class);
		NamedExecutor roe = context.getBean(NamedExecutors.class).managed().get("roe");
		EventLoop loop = context.getBean(EventLoop.class);
		int total = PRODUCERS * ROE_PER_PRODUCER;
		worker.reset(total);
		AtomicReferenceArrayOfFutures futures = new AtomicReferenceArrayOfFutures(total);
		AtomicIntegerArray completions = new AtomicIntegerArray(total);
		LongAdder submitted = new LongAdder();
		AtomicLong succeeded = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicLong cancelledByTest = new AtomicLong();
		AtomicLong cancelledByShutdown = new AtomicLong();
		AtomicLong rejected = new AtomicLong();
		AtomicLong rejectedBeforeClose = new AtomicLong();
		AtomicLong thrownToCaller = new AtomicLong();
		AtomicReference<Throwable> unexpected = new AtomicReference<>();
		AtomicLong submittedAtClose = new AtomicLong(-1);
		long started = System.nanoTime();
		Thread closer = new Thread(() -> {
			while (submitted.sum() < CLOSE_AFTER) {
				Thread.onSpinWait();
			}
			submittedAtClose.set(submitted.sum());
			context.close();
		}, "context-closer");
		closer.start();
		runProducers("@RunOnExecutor", (producer) -> {
			for (int i = 0; i < ROE_PER_PRODUCER; i++) {
				int index = producer * ROE_PER_PRODUCER + i;
				submitted.increment();
				CompletableFuture<Integer> future;
				try {
					future = worker.work(index);
				}
				catch (RuntimeException ex) {
					// not expected for a future-returning method (D-6); counted so the sum still closes
					thrownToCaller.incrementAndGet();
					unexpected.compareAndSet(null, ex);
					completions.incrementAndGet(index);
					continue;
				}
				futures.set(index, future);
				if (cancels(index)) {
					future.cancel(false);
				}
				future.whenComplete((value, failure) -> {
					completions.incrementAndGet(index);
					Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
							: failure;
					if (cause == null) {
						succeeded.incrementAndGet();
					}
					else if (cause instanceof CancellationException) {
						(cancels(index) && future.isCancelled() ? cancelledByTest : cancelledByShutdown).incrementAndGet();
					}
					else if (cause instanceof RejectedExecutionException) {
						rejected.incrementAndGet();
						if (!cause.getMessage().contains("is shut down")) {
							rejectedBeforeClose.incrementAndGet();
						}
					}
					else {
						failed.incrementAndGet();
					}
				});
			}
		});
		closer.join(TimeUnit.SECONDS.toMillis(60));
		assertThat(closer.isAlive()).as("context closed within 60 s").isFalse();
		AtomicLong accounted = new AtomicLong();
		await(30, () -> "@RunOnExecutor futures accounted for: " + accounted.get() + " of " + total, () -> {
			accounted.set(succeeded.get() + failed.get() + cancelledByTest.get() + cancelledByShutdown.get() + rejected.get()
					+ thrownToCaller.get());
			return accounted.get() == total;
		});
		long pending = 0;
		for (int i = 0; i < total; i++) {
			CompletableFuture<Integer> future = futures.get(i);
			if (future != null && !future.isDone()) {
				pending++;
			}
		}
		long cancelled = cancelledByTest.get() + cancelledByShutdown.get();
		// a future the test cancelled whose task was still queued when the context closed: the executor abandons
		// that task too, so its body never runs although the test counted the future as cancelled by itself
		long cancelledByTestThenAbandoned = 0;
		for (int i = 0; i < total; i++) {
			CompletableFuture<Integer> future = futures.get(i);
			if (cancels(i) && future != null && future.isCancelled() && worker.runsOf(i) == 0) {
				cancelledByTestThenAbandoned++;
			}
		}
		System.out.printf("  @RunOnExecutor: submitted=%,d (context closed after %,d) succeeded=%,d failed=%,d cancelled=%,d"
				+ " (by test %,d, of those abandoned at shutdown %,d, by shutdown %,d) rejected=%,d (before close %,d)"
				+ " bodies=%,d in %d ms%n", submitted.sum(), submittedAtClose.get(), succeeded.get(), failed.get(), cancelled,
				cancelledByTest.get(), cancelledByTestThenAbandoned, cancelledByShutdown.get(), rejected.get(),
				rejectedBeforeClose.get(), worker.bodyRuns(), millisSince(started));
		assertThat(unexpected.get()).as("exceptions thrown to the caller of a CompletableFuture method").isNull();
		assertThat(pending).as("futures still pending after the drain").isZero();
		assertThat(submitted.sum()).isEqualTo(total)
			.isEqualTo(succeeded.get() + failed.get() + cancelled + rejected.get() + thrownToCaller.get());
		assertExactlyOnce("@RunOnExecutor completion", completions);
		assertThat(submittedAtClose.get()).isGreaterThanOrEqualTo(CLOSE_AFTER);
		assertThat(rejected.get()).as("submissions after the close are rejected").isPositive();
		assertThat(worker.maxBodyRuns()).as("most runs of one body").isLessThanOrEqualTo(1);
		assertThat(worker.bodiesOffPool()).as("bodies off the roe pool").isZero();
		// a body runs for every accepted call except those abandoned at shutdown; a cancel by the test does not stop it (ROE-9)
		// unless its task was still queued at shutdown, which abandons it like any other queued task
		assertThat(worker.bodyRuns()).isEqualTo(total - rejected.get() - cancelledByShutdown.get() - cancelledByTestThenAbandoned);
		assertThat(roe.rejectedCount()).as("NamedExecutor.rejectedCount").isEqualTo(rejected.get());
		assertThat(roe.succeededCount() + roe.failedCount()).isEqualTo(worker.bodyRuns());
		assertThat(roe.abandonedCount()).isEqualTo(cancelledByShutdown.get() + cancelledByTestThenAbandoned);
		assertThat(roe.failedCount()).as("NamedExecutor.failedCount against bodies that threw").isEqualTo(worker.bodiesThrew());
		assertThat(roe.inFlightCount()).isZero();
		assertThat(roe.isTerminated()).isTrue();
		assertThat(loop.isTerminated()).as("the loop closed with the context").isTrue();
		// meters, read after the context closed: they keep the counts of the objects they watch
		assertThat(tasks(registry, "roe", "rejected")).isEqualTo(rejected.get());
		assertThat(tasks(registry, "roe", "failure")).isEqualTo(worker.bodiesThrew());
		assertThat(tasks(registry, "roe", "success")).isEqualTo(worker.bodyRuns() - worker.bodiesThrew());
		assertThat(tasks(registry, "roe", "cancelled")).isEqualTo(cancelledByShutdown.get() + cancelledByTestThenAbandoned);
		assertThat(gauge(registry, "executor.active", "name", "roe")).isZero();
		assertThat(gauge(registry, "executor.queued", "name", "roe")).isZero();
		assertThat(detector.trackedCount()).as("live trackers: every failure was observed by whenComplete").isZero();
	}

	// ------------------------------------------------------------------ helpers

	interface Producer {

		void produce(int producer) throws Exception;

	}

	private static void runProducers(String phase, Producer body) throws Exception {
		CyclicBarrier start = new CyclicBarrier(PRODUCERS);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		List<Thread> threads = new ArrayList<>();
		for (int p = 0; p < PRODUCERS; p++) {
			int producer = p;
			Thread thread = new Thread(() -> {
				try {
					start.await(10, TimeUnit.SECONDS);
					body.produce(producer);
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}, phase + "-producer-" + p);
			threads.add(thread);
			thread.start();
		}
		for (Thread thread : threads) {
			thread.join(TimeUnit.SECONDS.toMillis(90));
			if (thread.isAlive()) {
				threads.forEach(Thread::interrupt);
				throw new AssertionError(thread.getName() + " did not finish within 90 s");
			}
		}
		if (failure.get() != null) {
			throw new AssertionError(phase + " producer failed", failure.get());
		}
	}

	private static void assertExactlyOnce(String what, AtomicIntegerArray runs) {
		int wrong = 0;
		int first = -1;
		for (int i = 0; i < runs.length(); i++) {
			if (runs.get(i) != 1) {
				wrong++;
				if (first < 0) {
					first = i;
				}
			}
		}
		assertThat(wrong).as("%s not run exactly once (first: index %d, %d runs)", what, first,
				(first < 0) ? 1 : runs.get(first)).isZero();
	}

	/** Futures by index, written by producers and read after they finished. */
	static final class AtomicReferenceArrayOfFutures extends java.util.concurrent.atomic.AtomicReferenceArray<CompletableFuture<Integer>> {

		private static final long serialVersionUID = 1L;

		AtomicReferenceArrayOfFutures(int length) {
			super(length);
		}

	}

	/** The {@code @RunOnExecutor} bean: counts its body runs by index and the thread they run on. */
	public static class Worker {

		private volatile AtomicIntegerArray runs = new AtomicIntegerArray(0);

		private final AtomicLong offPool = new AtomicLong();

		private final AtomicLong threw = new AtomicLong();

		void reset(int size) {
			this.runs = new AtomicIntegerArray(size);
		}

		@RunOnExecutor("roe")
		public CompletableFuture<Integer> work(int index) throws java.io.IOException {
			this.runs.incrementAndGet(index);
			if (!Thread.currentThread().getName().startsWith("eddy-roe-")) {
				this.offPool.incrementAndGet();
			}
			if (fails(index)) {
				this.threw.incrementAndGet();
				throw new java.io.IOException("planned failure " + index);
			}
			return CompletableFuture.completedFuture(index);
		}

		int runsOf(int index) {
			return this.runs.get(index);
		}

		long bodyRuns() {
			long sum = 0;
			for (int i = 0; i < this.runs.length(); i++) {
				sum += this.runs.get(i);
			}
			return sum;
		}

		int maxBodyRuns() {
			int max = 0;
			for (int i = 0; i < this.runs.length(); i++) {
				max = Math.max(max, this.runs.get(i));
			}
			return max;
		}

		long bodiesOffPool() {
			return this.offPool.get();
		}

		long bodiesThrew() {
			return this.threw.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WorkerConfig {

		@Bean
		Worker worker() {
			return new Worker();
		}

	}

}
