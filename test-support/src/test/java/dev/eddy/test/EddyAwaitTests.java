package dev.eddy.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.AssertionFailedError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link EddyAwait}: bounded waits until executors and a loop are idle, and their timeout messages. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EddyAwaitTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final NamedExecutors executors = NamedExecutors.of(
			List.of(dev.eddy.executor.NamedExecutor.create(ExecutorSpec.builder("io").maxSize(1).build())),
			Map.of("external", (Executor) Runnable::run));

	@AfterEach
	void close() {
		this.release.countDown();
		this.executors.close();
	}

	@Test
	void untilIdle_busyExecutor_timesOutNamingWhatIsBusy() {
		this.executors.get("io").execute(this::awaitRelease);
		this.executors.get("io").execute(() -> { });

		assertThatExceptionOfType(AssertionFailedError.class)
			.isThrownBy(() -> EddyAwait.atMost(Duration.ofMillis(200)).untilIdle(this.executors, "io"))
			.withMessage("Not idle within PT0.2S: executor 'io' has 1 running, 1 queued, 2 in flight");
	}

	@Test
	void untilIdle_executorThatFinishes_returns() {
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < 20; i++) {
			this.executors.get("io").execute(ran::incrementAndGet);
		}
		EddyAwait.atMost(Duration.ofSeconds(10)).untilIdle(this.executors);
		assertThat(ran).hasValue(20);
	}

	@Test
	void untilIdle_unknownOrUnmanagedName_failsListingTheKnown() {
		assertThatIllegalArgumentException().isThrownBy(() -> EddyAwait.atMost(Duration.ofSeconds(1)).untilIdle(this.executors, "cpu"))
			.withMessage("No executor named 'cpu'; known: [io]; configure eddy.executors.cpu.* or wait on one of those");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EddyAwait.atMost(Duration.ofSeconds(1)).untilIdle(this.executors, "external"))
			.withMessage("'external' is an Executor bean that Eddy does not manage, so its idleness is unknown; wait on one of "
					+ "Eddy's executors [io] or on the bean itself");
	}

	@Test
	void atMost_nonPositive_failsNamingTheParameter() {
		assertThatIllegalArgumentException().isThrownBy(() -> EddyAwait.atMost(Duration.ZERO))
			.withMessage("'timeout' must be positive, was PT0S");
	}

	@Test
	void untilIdle_testLoopOwnedByTheCaller_isDrivenUntilTheHandOffLands() {
		try (EventLoop loop = TestLoop.create("driven")) {
			LoopFuture<String> future = loop.runInExecutor(this.executors.get("io"), () -> "from io");
			EddyAwait.atMost(Duration.ofSeconds(10)).untilIdle(loop, this.executors, "io");
			assertThat(future.result()).isEqualTo("from io");
		}
	}

	@Test
	void untilIdle_testLoopThatReschedulesForever_timesOutInsteadOfHanging() {
		try (EventLoop loop = TestLoop.create("busy")) {
			java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
			Runnable[] again = new Runnable[1];
			again[0] = () -> {
				if (!stop.get()) {
					loop.execute(again[0]);
				}
			};
			loop.execute(again[0]);
			assertThatExceptionOfType(AssertionFailedError.class)
				.isThrownBy(() -> EddyAwait.atMost(Duration.ofMillis(200)).untilIdle(loop))
				.withMessage("Not idle within PT0.2S: EventLoop 'busy' has 1 callback(s) queued");
			stop.set(true);
		}
	}

	@Test
	void untilIdle_loopOnItsOwnThread_waitsForItsCallbacks() {
		try (EventLoop loop = EventLoop.create("own")) {
			AtomicInteger ran = new AtomicInteger();
			for (int i = 0; i < 100; i++) {
				loop.execute(ran::incrementAndGet);
			}
			EddyAwait.atMost(Duration.ofSeconds(10)).untilIdle(loop);
			assertThat(ran).hasValue(100);
		}
	}

	private void awaitRelease() {
		try {
			this.release.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
