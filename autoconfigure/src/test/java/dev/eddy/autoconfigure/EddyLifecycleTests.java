package dev.eddy.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Shutdown in a lifecycle phase after the web server's graceful shutdown, in parallel, within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}, leaving no future pending.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EddyLifecycleTests {

	@Test
	void thePhaseFollowsTheGracefulShutdownOfTheWebServer() {
		assertThat(EddyShutdownLifecycle.PHASE).isLessThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE)
			.isGreaterThan(SmartLifecycle.DEFAULT_PHASE - 2048);
	}

	@Test
	void whenTheContextStopsShouldStopExecutorsAndLoopBeforeBeansAreDestroyed() {
		EddyRunners.runner().withPropertyValues("eddy.executors.io.max-size=1").run((context) -> {
			EventLoop loop = context.getBean(EventLoop.class);
			NamedExecutor io = context.getBean("io", NamedExecutor.class);
			assertThat(context.getBean(EddyShutdownLifecycle.class).isRunning()).isTrue();
			context.stop();
			assertThat(io.isShutdown()).isTrue();
			assertThat(loop.isTerminated()).isTrue();
			assertThat(context.getBean(EddyShutdownLifecycle.class).isRunning()).isFalse();
		});
	}

	@Test
	void whenStoppedWithoutACallbackShouldReturnOnceEverythingStopped() {
		EddyRunners.runner().withPropertyValues("eddy.executors.io.max-size=1").run((context) -> {
			EddyShutdownLifecycle lifecycle = context.getBean(EddyShutdownLifecycle.class);
			lifecycle.stop();
			assertThat(context.getBean("io", NamedExecutor.class).isTerminated()).isTrue();
			assertThat(context.getBean(EventLoop.class).isTerminated()).isTrue();
			assertThat(lifecycle.isRunning()).isFalse();
			lifecycle.start();
			assertThat(lifecycle.isRunning()).as("stopping is final").isFalse();
		});
	}

	@Test
	void whenTasksOutliveTheShutdownPhaseShouldCancelTheirFuturesWithinTheTimeout() {
		EddyRunners.runner()
			.withUserConfiguration(Stuck.Config.class)
			.withPropertyValues("eddy.executors.io.max-size=1", "eddy.executors.io.queue-capacity=10",
					"eddy.executors.io.await-termination=60s", "eddy.loop.drain-timeout=60s",
					"spring.lifecycle.timeout-per-shutdown-phase=3s")
			.run((context) -> {
				Stuck stuck = context.getBean(Stuck.class);
				CompletableFuture<String> running = stuck.block();
				assertThat(stuck.awaitStarted()).isTrue();
				CompletableFuture<String> queued = stuck.block();
				NamedExecutor io = context.getBean("io", NamedExecutor.class);
				assertThat(io.spec().awaitTermination()).as("capped to the phase").isEqualTo(Duration.ofSeconds(3));
				long started = System.nanoTime();
				context.stop();
				long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
				assertThat(took).as("within the 3 s phase, plus the executor's 1 s interrupt grace").isLessThan(4_500);
				try {
					for (CompletableFuture<String> future : java.util.List.of(running, queued)) {
						assertThat(catchThrowable(() -> future.get(5, TimeUnit.SECONDS))).isInstanceOf(CancellationException.class);
						// The cancellation itself (JDK 23+ get() wraps it in a new CancellationException("get")).
						assertThat(future.handle((value, ex) -> ex).get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class)
							.hasMessage("Executor 'io' shut down before this task completed (await-termination PT3S)");
					}
					assertThat(io.abandonedCount()).isEqualTo(2);
				}
				finally {
					stuck.release();
				}
			});
	}

	public static class Stuck {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		/** @return whether a call started (through the proxy: its fields are the proxy's) */
		public boolean awaitStarted() throws InterruptedException {
			return this.started.await(10, TimeUnit.SECONDS);
		}

		public void release() {
			this.release.countDown();
		}

		/** Ignores interrupts until released: a task that does not stop when asked. */
		@RunOnExecutor("io")
		public CompletableFuture<String> block() {
			this.started.countDown();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			while (this.release.getCount() > 0 && System.nanoTime() < deadline) {
				try {
					this.release.await(100, TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					// keeps running
				}
			}
			return CompletableFuture.completedFuture("done");
		}

		@Configuration(proxyBeanMethods = false)
		static class Config {

			@Bean
			Stuck stuck() {
				return new Stuck();
			}

		}

	}

}
