package dev.eddy.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.eddy.actuate.EddyHealthIndicator;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import dev.eddy.micrometer.EddyMeters;
import dev.eddy.micrometer.NamedExecutorMetrics;
import dev.eddy.testsupport.LogCapture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Meters, watchdog and health as an application sees them: the counters move with the events
 * they count.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EddyObservabilityTests {

	@Test
	void whenAVoidMethodFailsShouldCountItWithExceptionAndSourceTags() {
		MetricsFixture.runner()
			.withUserConfiguration(ServiceConfig.class)
			.withPropertyValues("eddy.executors.tiny.max-size=1")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(Service.class).failLater();
				awaitTrue(() -> registry.find(EddyMeters.UNOBSERVED)
					.tag("exception", IOException.class.getName())
					.tag("source", "EddyObservabilityTests.Service#failLater")
					.counter() != null);
				assertThat(registry.get(EddyMeters.UNOBSERVED).counter().count()).isEqualTo(1.0);
			});
	}

	@Test
	void whenTasksSucceedFailAndAreRejectedShouldTimeEachOutcome() {
		MetricsFixture.runner()
			.withUserConfiguration(ServiceConfig.class)
			.withPropertyValues("eddy.executors.tiny.max-size=1", "eddy.executors.tiny.queue-capacity=1")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				Service service = context.getBean(Service.class);
				assertThat(service.succeed().get(5, TimeUnit.SECONDS)).isEqualTo("ok");
				assertThatThrownBy(() -> service.fail().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
				CountDownLatch release = new CountDownLatch(1);
				List<CompletableFuture<String>> calls = new ArrayList<>();
				for (int i = 0; i < 3; i++) {
					calls.add(service.block(release));
				}
				release.countDown();
				long rejected = calls.stream().filter(CompletableFuture::isCompletedExceptionally).count();
				CompletableFuture.allOf(calls.stream().map((f) -> f.exceptionally((t) -> "")).toArray(CompletableFuture[]::new))
					.get(5, TimeUnit.SECONDS);
				assertThat(rejected).isEqualTo(1);
				awaitTrue(() -> tasks(registry, "executor", "failure") == 1 && tasks(registry, "tiny", "success") == 2);
				assertThat(tasks(registry, "executor", "success")).isEqualTo(1);
				assertThat(tasks(registry, "tiny", "rejected")).isEqualTo(1);
				assertThat(registry.get(EddyMeters.EXECUTOR_QUEUE_WAIT).tag("name", "tiny").timer().count()).isEqualTo(2);
				assertThat(registry.get("executor.completed").tag("name", "tiny").functionCounter().count()).isEqualTo(2.0);
			});
	}

	@Test
	void whenAnExecutorShutsDownWithQueuedTasksShouldCountThemCancelled() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		NamedExecutors executors = NamedExecutors.create(List.of(ExecutorSpec.builder("small")
			.maxSize(1)
			.queueCapacity(10)
			.awaitTermination(Duration.ZERO)
			.build()));
		new NamedExecutorMetrics(executors).bindTo(registry);
		CountDownLatch started = new CountDownLatch(1);
		executors.get("small").execute(() -> {
			started.countDown();
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		started.await(5, TimeUnit.SECONDS);
		for (int i = 0; i < 3; i++) {
			executors.managed().get("small").execute(() -> {
			}, (reason) -> {
			});
		}
		executors.close();
		assertThat(tasks(registry, "small", "cancelled")).isEqualTo(3);
	}

	@Test
	void whenTheLoopRunsShouldSampleLagAndCountCallbacks() {
		MetricsFixture.runner().run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			awaitTrue(() -> registry.get(EddyMeters.LOOP_LAG).tag("loop", "eddy-loop").timer().count() >= 3);
			assertThat(registry.get(EddyMeters.LOOP_CALLBACKS).tag("outcome", "success").functionCounter().count())
				.isGreaterThanOrEqualTo(3);
			assertThat(registry.find(EddyMeters.LOOP_SLOW).meter()).as("only in debug mode").isNull();
		});
	}

	@Test
	void whenOneCallbackBlocksTheLoopShouldReportOnceCountAndGoDownThenUp() {
		MetricsFixture.runner().withPropertyValues("eddy.loop.blocked-threshold=100ms", "eddy.loop.blocked-is-down=true").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			EventLoop loop = context.getBean(EventLoop.class);
			EddyHealthIndicator health = context.getBean(EddyHealthIndicator.class);
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
			CountDownLatch release = new CountDownLatch(1);
			try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
				loop.execute(() -> {
					try {
						release.await(10, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
				awaitTrue(() -> health.health(true).getStatus().equals(Status.DOWN));
				Health down = health.health(true);
				assertThat(down.getDetails()).containsKey("loop");
				assertThat(down.getDetails().get("loop").toString()).contains("state=blocked");
				assertThat(registry.get(EddyMeters.LOOP_BLOCKED).functionCounter().count()).isEqualTo(1.0);
				release.countDown();
				awaitTrue(() -> health.health(true).getStatus().equals(Status.UP));
				assertThat(log.messages(ch.qos.logback.classic.Level.WARN)).singleElement()
					.asString()
					.startsWith("EventLoop 'eddy-loop' has been running one callback for")
					.contains("over the blocked threshold of 100 ms");
				assertThat(log.events().stream().filter((e) -> e.getLevel() == ch.qos.logback.classic.Level.WARN))
					.singleElement()
					.satisfies((event) -> assertThat(event.getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty());
			}
			assertThat(registry.get(EddyMeters.LOOP_BLOCKED).functionCounter().count()).isEqualTo(1.0);
		});
	}

	@Test
	void whenTheLoopIsClosedHealthShouldBeDownAndDetailsShouldShowExecutorLimits() {
		MetricsFixture.runner().withPropertyValues("eddy.executors.io.max-size=4", "eddy.executors.io.queue-capacity=50")
			.run((context) -> {
				EddyHealthIndicator health = context.getBean(EddyHealthIndicator.class);
				Health up = health.health(true);
				assertThat(up.getStatus()).isEqualTo(Status.UP);
				assertThat(up.getDetails().get("executors").toString()).contains("io={active=0, queued=0, maxSize=4, queueCapacity=50}");
				context.getBean(EventLoop.class).close();
				assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
				// Closed by code while the application runs (not by its shutdown, nor terminated on its own): EddyHealthStatesTests.
				assertThat(health.health(true).getDetails().get("loop").toString()).contains("state=closed")
					.contains(EddyHealthIndicator.CLOSED_WHILE_RUNNING);
			});
	}

	@Test
	void whenHealthIsDisabledShouldNotRegisterTheIndicator() {
		MetricsFixture.runner().withPropertyValues("management.health.eddy.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EddyHealthIndicator.class));
	}

	private static double tasks(MeterRegistry registry, String name, String outcome) {
		var timer = registry.find(EddyMeters.EXECUTOR_TASKS).tag("name", name).tag("outcome", outcome).timer();
		return (timer != null) ? timer.count() : -1;
	}

	private static void awaitTrue(BooleanSupplier condition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("condition not met within 10 s");
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	public static class Service {

		@RunOnExecutor
		public void failLater() throws IOException {
			throw new IOException("void failed");
		}

		@RunOnExecutor
		public CompletableFuture<String> succeed() {
			return CompletableFuture.completedFuture("ok");
		}

		@RunOnExecutor
		public CompletableFuture<String> fail() throws IOException {
			throw new IOException("failed");
		}

		@RunOnExecutor("tiny")
		public CompletableFuture<String> block(CountDownLatch release) throws InterruptedException {
			release.await(5, TimeUnit.SECONDS);
			return CompletableFuture.completedFuture("released");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ServiceConfig {

		@Bean
		Service service() {
			return new Service();
		}

	}

}
