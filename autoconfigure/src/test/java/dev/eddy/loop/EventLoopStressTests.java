package dev.eddy.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many producer threads against one own-thread loop: nothing lost, nothing run twice,
 * per-producer FIFO order, everything on the loop thread.
 */
@Tag("stress")
class EventLoopStressTests {

	private static final int PRODUCERS = 4;

	private static final int PER_PRODUCER = 250_000;

	@Test
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	@DisplayName("CB-4: 4 producers x 250,000 execute calls each run exactly once, in per-producer order, on the loop")
	void execute_fourProducersMillionTasks_eachRunsOnceInProducerOrder() throws Exception {
		EventLoop loop = EventLoop.create("stress-loop");
		List<Thread> producers = new ArrayList<>();
		try {
			Thread loopThread = CompletableFuture.supplyAsync(Thread::currentThread, loop::execute).get(10, TimeUnit.SECONDS);
			AtomicIntegerArray runs = new AtomicIntegerArray(PRODUCERS * PER_PRODUCER);
			// Loop-confined state: written only by the loop thread, read after a happens-before edge.
			int[] lastSeen = new int[PRODUCERS];
			java.util.Arrays.fill(lastSeen, -1);
			long[] outOfOrder = new long[1];
			long[] offLoop = new long[1];
			CyclicBarrier start = new CyclicBarrier(PRODUCERS);
			CountDownLatch allRan = new CountDownLatch(1);
			AtomicLong ran = new AtomicLong();
			long total = (long) PRODUCERS * PER_PRODUCER;
			for (int p = 0; p < PRODUCERS; p++) {
				int producer = p;
				Thread thread = new Thread(() -> {
					try {
						start.await(10, TimeUnit.SECONDS);
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
					for (int i = 0; i < PER_PRODUCER; i++) {
						int sequence = i;
						loop.execute(() -> {
							if (Thread.currentThread() != loopThread) {
								offLoop[0]++;
							}
							runs.incrementAndGet(producer * PER_PRODUCER + sequence);
							if (sequence <= lastSeen[producer]) {
								outOfOrder[0]++;
							}
							lastSeen[producer] = sequence;
							if (ran.incrementAndGet() == total) {
								allRan.countDown();
							}
						});
					}
				}, "producer-" + p);
				producers.add(thread);
			}
			long started = System.nanoTime();
			producers.forEach(Thread::start);
			for (Thread thread : producers) {
				thread.join(TimeUnit.SECONDS.toMillis(50));
				assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
			}
			long produced = System.nanoTime();
			assertThat(allRan.await(50, TimeUnit.SECONDS)).as("all %d tasks ran, %d did", total, ran.get()).isTrue();
			long finished = System.nanoTime();
			// hop onto the loop once more so its plain writes are visible here
			int[] snapshot = CompletableFuture.supplyAsync(lastSeen::clone, loop::execute).get(10, TimeUnit.SECONDS);
			long[] errors = CompletableFuture.supplyAsync(() -> new long[] { outOfOrder[0], offLoop[0] }, loop::execute)
				.get(10, TimeUnit.SECONDS);

			System.out.printf("EventLoopStressTests: %,d tasks from %d producers; produced in %d ms, all ran after %d ms;"
					+ " wakeups=%d%n", total, PRODUCERS, (produced - started) / 1_000_000, (finished - started) / 1_000_000,
					loop.statistics().wakeups());

			int wrong = 0;
			int firstWrong = -1;
			for (int i = 0; i < runs.length(); i++) {
				if (runs.get(i) != 1) {
					wrong++;
					if (firstWrong < 0) {
						firstWrong = i;
					}
				}
			}
			assertThat(wrong).as("tasks that did not run exactly once (first index %d)", firstWrong).isZero();
			assertThat(errors[0]).as("tasks that ran out of their producer's order").isZero();
			assertThat(errors[1]).as("tasks that ran off the loop thread").isZero();
			for (int p = 0; p < PRODUCERS; p++) {
				assertThat(snapshot[p]).as("last sequence of producer %d", p).isEqualTo(PER_PRODUCER - 1);
			}
			assertThat(loop.statistics().callbacksSucceeded()).isGreaterThanOrEqualTo(total);
			assertThat(loop.statistics().callbacksFailed()).isZero();
			assertThat(loop.statistics().callbacksRejected()).isZero();
		}
		finally {
			for (Thread thread : producers) {
				thread.interrupt();
			}
			loop.close();
			assertThat(loop.awaitTermination(Duration.ofSeconds(10))).isTrue();
		}
	}

}
