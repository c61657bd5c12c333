package dev.eddy.executor;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A submission that a {@code close()} overtakes: the close abandons the task (it is in flight)
 * before the pool, shut down meanwhile, rejects it. The task is then counted once, as
 * cancelled, and its future told once, through the abandon callback; {@code execute} must not
 * also throw the rejection, which would let the caller fail the future as rejected first (the
 * future would then contradict the counters, seen once in {@code MillionSubmissionsStressTests}).
 */
class NamedExecutorCloseRaceTests {

	@Test
	@Timeout(30)
	@DisplayName("a close that abandons a submission before the pool rejects it: counted once as cancelled, told once, nothing thrown")
	void closeOvertakingASubmission() throws Exception {
		CountDownLatch inPoolExecute = new CountDownLatch(1);
		CountDownLatch closed = new CountDownLatch(1);
		ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
			@Override
			public void execute(Runnable command) {
				inPoolExecute.countDown();
				try {
					closed.await(20, TimeUnit.SECONDS); // the submission stalls here while close() runs
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				super.execute(command); // shut down by now: the executor's rejection handler throws
			}
		};
		NamedExecutor executor = NamedExecutor.wrap(ExecutorSpec.builder("race").maxSize(1).build(), pool);
		List<CancellationException> told = new CopyOnWriteArrayList<>();
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		Thread submitter = new Thread(() -> {
			try {
				executor.execute(() -> {
					throw new AssertionError("an abandoned task must not run");
				}, told::add);
			}
			catch (Throwable ex) {
				thrown.set(ex);
			}
		}, "race-submitter");
		submitter.setDaemon(true);
		submitter.start();
		assertThat(inPoolExecute.await(10, TimeUnit.SECONDS)).isTrue();
		executor.close();
		closed.countDown();
		submitter.join(TimeUnit.SECONDS.toMillis(20));
		assertThat(submitter.isAlive()).isFalse();
		assertThat(thrown.get()).as("thrown to the submitter").isNull();
		assertThat(told).singleElement()
			.extracting(Throwable::getMessage)
			.asString()
			.startsWith("Executor 'race' shut down before this task completed");
		assertThat(executor.abandonedCount()).isEqualTo(1);
		assertThat(executor.rejectedCount()).isZero();
		assertThat(executor.inFlightCount()).isZero();
	}

}
