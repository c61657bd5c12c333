package dev.eddy.reliability;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.eddy.actuate.EddyHealthIndicator;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import dev.eddy.micrometer.EddyMeters;
import dev.eddy.micrometer.NamedExecutorMetrics;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.health.contributor.Status;

import static dev.eddy.reliability.ReliabilityFixture.await;
import static dev.eddy.reliability.ReliabilityFixture.millisSince;
import static dev.eddy.reliability.ReliabilityFixture.tasks;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults under load: detector precision, a saturated pool, a blocked loop, and a callback that
 * always throws.
 */
@Tag("stress")
class FaultStressTests {

	// ------------------------------------------------------------------ detector precision

	private static final int PRECISION_FAILURES = 20_000;

	private static final int PRECISION_ABANDONED = 5_000;

	@Test
	@Timeout(value = 90, unit = TimeUnit.SECONDS)
	@DisplayName("GC-1 under load: of 20,000 failures from 2 producers, the 5,000 abandoned ones give exactly 5,000 reports")
	void detector_underLoad_reportsExactlyTheAbandonedFailures() throws Exception {
		ConcurrentLinkedQueue<UnobservedFailure> reports = new ConcurrentLinkedQueue<>();
		UnobservedFailureDetector detector = UnobservedFailureDetector.builder().listener(reports::add).build();
		EventLoop loop = EventLoop.builder("precision").unobservedFailureDetector(detector).start();
		NamedExecutor pool = NamedExecutor.create(ExecutorSpec.builder("precision").maxSize(2).queueCapacity(50_000).build());
		try {
			AtomicLong observed = new AtomicLong();
			AtomicLong abandoned = new AtomicLong();
			AtomicLong done = new AtomicLong();
			long started = System.nanoTime();
			List<Thread> producers = new ArrayList<>();
			CyclicBarrier start = new CyclicBarrier(2);
			for (int p = 0; p < 2; p++) {
				int producer = p;
				Thread thread = new Thread(() -> {
					arrive(start);
					for (int i = producer; i < PRECISION_FAILURES; i += 2) {
						int index = i;
						LoopFuture<Object> future = loop.runInExecutor(pool, () -> {
							throw new IOException("failure " + index);
						});
						boolean abandon = index % 4 == 0; // exactly a quarter
						loop.execute(() -> future.addDoneCallback((f) -> {
							if (abandon) {
								f.done(); // does not observe (GC-5)
								abandoned.incrementAndGet();
							}
							else {
								f.exception();
								observed.incrementAndGet();
							}
							done.incrementAndGet();
						}));
					}
				}, "precision-producer-" + p);
				producers.add(thread);
				thread.start();
			}
			for (Thread thread : producers) {
				thread.join(30_000);
			}
			await(30, () -> "failures done " + done.get(), () -> done.get() == PRECISION_FAILURES);
			await(45, () -> "reports " + reports.size(), () -> {
				System.gc();
				return reports.size() >= PRECISION_ABANDONED;
			});
			ReliabilityFixture.settleGc();
			System.out.printf("FaultStressTests precision: failures=%,d abandoned=%,d observed=%,d reports=%,d untracked=%d in %d ms%n",
					PRECISION_FAILURES, abandoned.get(), observed.get(), reports.size(), detector.untrackedCount(),
					millisSince(started));
			assertThat(abandoned.get()).isEqualTo(PRECISION_ABANDONED);
			assertThat(observed.get()).isEqualTo(PRECISION_FAILURES - PRECISION_ABANDONED);
			assertThat(detector.untrackedCount()).as("below the cap nothing goes untracked").isZero();
			assertThat(reports).hasSize(PRECISION_ABANDONED)
				.allSatisfy((report) -> assertThat(report.exception()).isInstanceOf(IOException.class));
			assertThat(reports.stream().map((r) -> r.exception().getMessage()).distinct().count())
				.as("each abandoned failure reported once").isEqualTo(PRECISION_ABANDONED);
			assertThat(reports.stream()
				.mapToInt((r) -> Integer.parseInt(r.exception().getMessage().substring("failure ".length())))
				.allMatch((i) -> i % 4 == 0)).as("only abandoned failures are reported").isTrue();
			assertThat(detector.reportedCount()).isEqualTo(PRECISION_ABANDONED);
			assertThat(detector.trackedCount()).isZero();
		}
		finally {
			pool.close();
			loop.close();
			detector.close();
		}
	}

	// ------------------------------------------------------------------ saturation

	private static final int FLOOD_THREADS = 8;

	private static final int FLOOD_PER_THREAD = 25_000;

	@Test
	@Timeout(value = 90, unit = TimeUnit.SECONDS)
	@DisplayName("A pool with a queue of 16 flooded from 8 threads: every rejection is a failed future and a counted rejection")
	void saturatedPool_everyRejectionFailsAFutureAndIsCounted() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		NamedExecutors executors = NamedExecutors.create(List.of(ExecutorSpec.builder("flood").maxSize(2).queueCapacity(16).build()));
		new NamedExecutorMetrics(executors).bindTo(registry);
		NamedExecutor flood = executors.managed().get("flood");
		EventLoop loop = EventLoop.create("flood-loop");
		try {
			AtomicLong ok = new AtomicLong();
			AtomicLong rejected = new AtomicLong();
			AtomicLong badMessage = new AtomicLong();
			AtomicLong otherFailure = new AtomicLong();
			AtomicLong bodies = new AtomicLong();
			long started = System.nanoTime();
			CyclicBarrier start = new CyclicBarrier(FLOOD_THREADS);
			List<Thread> producers = new ArrayList<>();
			for (int p = 0; p < FLOOD_THREADS; p++) {
				Thread thread = new Thread(() -> {
					arrive(start);
					for (int i = 0; i < FLOOD_PER_THREAD; i++) {
						LoopFuture<Integer> future = loop.runInExecutor(flood, () -> {
							bodies.incrementAndGet();
							return 1;
						});
						future.toCompletableFuture().whenComplete((value, failure) -> {
							Throwable cause = (failure != null && failure.getCause() != null) ? failure.getCause() : failure;
							if (cause == null) {
								ok.incrementAndGet();
							}
							else if (cause instanceof RejectedExecutionException) {
								rejected.incrementAndGet();
								if (!cause.getMessage().equals("Executor 'flood' rejected a task: all 2 threads are busy and the queue is"
										+ " full (max-size=2, queue-capacity=16); raise 'eddy.executors.flood.max-size' or"
										+ " 'eddy.executors.flood.queue-capacity', or slow the producers down")) {
									badMessage.incrementAndGet();
								}
							}
							else {
								otherFailure.incrementAndGet();
							}
						});
					}
				}, "flood-" + p);
				producers.add(thread);
				thread.start();
			}
			for (Thread thread : producers) {
				thread.join(60_000);
			}
			long total = (long) FLOOD_THREADS * FLOOD_PER_THREAD;
			await(30, () -> "flood futures done " + (ok.get() + rejected.get() + otherFailure.get()),
					() -> ok.get() + rejected.get() + otherFailure.get() == total);
			await(10, () -> "flood in flight", () -> flood.inFlightCount() == 0);
			System.out.printf("FaultStressTests saturation: submitted=%,d succeeded=%,d rejected=%,d in %d ms%n", total, ok.get(),
					rejected.get(), millisSince(started));
			assertThat(otherFailure.get()).isZero();
			assertThat(rejected.get()).as("a queue of 16 against 8 producers must reject").isPositive();
			assertThat(ok.get() + rejected.get()).isEqualTo(total);
			assertThat(bodies.get()).isEqualTo(ok.get());
			assertThat(badMessage.get()).as("rejections whose message is not the documented one").isZero();
			assertThat(flood.rejectedCount()).isEqualTo(rejected.get());
			assertThat(tasks(registry, "flood", "rejected")).isEqualTo(rejected.get());
			assertThat(tasks(registry, "flood", "success")).isEqualTo(ok.get());
			assertThat(registry.get("executor.queued").tag("name", "flood").gauge().value()).isZero();
			assertThat(registry.get("executor.active").tag("name", "flood").gauge().value()).isZero();
		}
		finally {
			loop.close();
			executors.close();
		}
	}

	// ------------------------------------------------------------------ blocked loop

	@Test
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	@DisplayName("Three blocked-loop episodes: one watchdog report each, health DOWN then UP, no callback lost")
	void blockedLoop_reportsOncePerEpisode_healthRecovers_noCallbackLost() {
		// DOWN while blocked is opt-in (eddy.loop.blocked-is-down); this test is about DOWN then UP again.
		ReliabilityFixture.runner().withPropertyValues("eddy.loop.blocked-threshold=100ms", "eddy.loop.blocked-is-down=true").run((context) -> {
			EventLoop loop = context.getBean(EventLoop.class);
			EddyHealthIndicator health = context.getBean(EddyHealthIndicator.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			AtomicLong ran = new AtomicLong();
			long queued = 0;
			long started = System.nanoTime();
			for (int episode = 1; episode <= 3; episode++) {
				assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
				CountDownLatch release = new CountDownLatch(1);
				loop.execute(() -> {
					try {
						release.await(10, TimeUnit.SECONDS); // far past the 100 ms threshold
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
				// callbacks queued behind the blocked one, from another thread
				for (int i = 0; i < 1_000; i++) {
					loop.execute(ran::incrementAndGet);
					queued++;
				}
				await(10, () -> "health DOWN", () -> health.health(true).getStatus().equals(Status.DOWN));
				ReliabilityFixture.sleep(400); // several watchdog checks within one episode
				assertThat(loop.statistics().blockedEpisodes()).as("episodes after episode %d", episode).isEqualTo(episode);
				assertThat(registry.get(EddyMeters.LOOP_BLOCKED).functionCounter().count()).isEqualTo(episode);
				release.countDown();
				long expected = queued;
				await(10, () -> "health UP", () -> health.health(true).getStatus().equals(Status.UP));
				await(10, () -> "callbacks run " + ran.get(), () -> ran.get() == expected);
			}
			System.out.printf("FaultStressTests blocked loop: 3 episodes, %d blocked reports, %,d callbacks behind them, in %d ms%n",
					loop.statistics().blockedEpisodes(), ran.get(), millisSince(started));
			assertThat(loop.statistics().blockedEpisodes()).isEqualTo(3);
			assertThat(ran.get()).isEqualTo(3_000);
		});
	}

	// ------------------------------------------------------------------ callback that always throws

	private static final int THROWS = 100_000;

	@Test
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	@DisplayName("CB-9: a callback that throws on each of 100,000 calls; the loop keeps running and every other callback runs")
	void throwingCallback_100kTimes_loopKeepsRunning() throws Exception {
		EventLoop loop = EventLoop.create("throwing");
		try {
			Runnable thrower = () -> {
				throw new IllegalStateException("always");
			};
			AtomicLong others = new AtomicLong();
			long started = System.nanoTime();
			Thread producer = new Thread(() -> {
				for (int i = 0; i < THROWS; i++) {
					loop.execute(thrower);
					loop.execute(others::incrementAndGet);
				}
			}, "thrower");
			producer.start();
			producer.join(30_000);
			await(30, () -> "other callbacks " + others.get(), () -> others.get() == THROWS);
			long failed = CompletableFuture.supplyAsync(() -> loop.statistics().callbacksFailed(), loop::execute)
				.get(10, TimeUnit.SECONDS);
			System.out.printf("FaultStressTests throwing callback: %,d throws, %,d other callbacks, in %d ms%n", failed,
					others.get(), millisSince(started));
			assertThat(failed).isEqualTo(THROWS);
			assertThat(loop.statistics().alive()).isTrue();
			assertThat(CompletableFuture.supplyAsync(() -> "still running", loop::execute).get(5, TimeUnit.SECONDS))
				.isEqualTo("still running");
		}
		catch (ExecutionException ex) {
			throw new AssertionError(ex);
		}
		finally {
			loop.close();
			assertThat(loop.awaitTermination(Duration.ofSeconds(10))).isTrue();
		}
	}

	private static void arrive(CyclicBarrier barrier) {
		try {
			barrier.await(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
