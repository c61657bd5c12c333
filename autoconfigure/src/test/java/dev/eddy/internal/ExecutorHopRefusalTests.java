package dev.eddy.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.NamedExecutor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Refusals and decorations on the one road to a NamedExecutor: every outcome reaches the delivery exactly once. */
class ExecutorHopRefusalTests {

	/**
	 * A pool whose execute() throws something other than RejectedExecutionException, as Spring's
	 * ThreadPoolTaskExecutor pool does when a TaskDecorator bean throws (NamedExecutor.wrap path).
	 */
	@Test
	void namedExecutor_nonRejectionThrowFromPool_isRefusedOnce_andNotAbandonedLater() {
		ThreadPoolExecutor throwing = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4)) {
			@Override
			public void execute(Runnable command) {
				throw new IllegalStateException("TaskDecorator failed");
			}
		};
		NamedExecutor executor = NamedExecutor.wrap(ExecutorSpec.builder("io").build(), throwing);
		ExecutorHopTests.Recorder recorder = new ExecutorHopTests.Recorder();
		Hops.send(executor, () -> "never", recorder, null, "work");
		assertThat(recorder.events).containsExactly("refused TaskDecorator failed");
		long inFlight = executor.inFlightCount();
		executor.close();
		org.assertj.core.api.SoftAssertions.assertSoftly((soft) -> {
			soft.assertThat(inFlight).as("in flight after a refusal").isZero();
			soft.assertThat(recorder.events).as("refused, then abandoned at close").containsExactly("refused TaskDecorator failed");
			soft.assertThat(executor.abandonedCount()).as("abandoned count of a task that was never accepted").isZero();
			soft.assertThat(executor.rejectedCount()).as("rejected count").isEqualTo(1);
		});
	}

	/** The decoration itself throws on the calling thread (snapshot capture): the delivery is told, as for a refusal. */
	@Test
	void decorationThatThrowsOnTheCallingThread_isARefusal() {
		ExecutorHopTests.Recorder recorder = new ExecutorHopTests.Recorder();
		java.util.List<Runnable> submitted = new java.util.ArrayList<>();
		org.assertj.core.api.Assertions.assertThatCode(() -> Hops.send(submitted::add, () -> "never", recorder, (hop) -> {
			throw new IllegalStateException("captureAll failed");
		}, "work")).doesNotThrowAnyException();
		assertThat(recorder.events).containsExactly("refused captureAll failed");
	}

	/**
	 * The context-propagation wrapper (ContextPropagatingTaskDecorator: setThreadLocals() runs a
	 * user ThreadLocalAccessor) throws before the hop runs: the hop's future is never completed, and
	 * NamedExecutor does not log the throw because the task has an abandon callback.
	 */
	@Test
	void decorationThatThrowsBeforeTheHopRuns_stillDeliversAFailure() throws Exception {
		NamedExecutor executor = NamedExecutor.create(ExecutorSpec.builder("io").build());
		ExecutorHopTests.Recorder recorder = new ExecutorHopTests.Recorder();
		CountDownLatch ran = new CountDownLatch(1);
		Hops.send(executor, () -> "never", recorder, (hop) -> () -> {
			ran.countDown();
			throw new IllegalStateException("ThreadLocalAccessor.setValue failed");
		}, "work");
		assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
		while (executor.failedCount() == 0 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(executor.failedCount()).isEqualTo(1);
		executor.close();
		assertThat(recorder.events).as("what the future was told").hasSize(1);
	}

}
