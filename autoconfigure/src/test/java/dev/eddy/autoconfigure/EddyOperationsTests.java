package dev.eddy.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.eddy.actuate.EddyEndpoint;
import dev.eddy.actuate.EddyEndpoint.EddyDescriptor;
import dev.eddy.actuate.EddyEndpoint.ExecutorDescriptor;
import dev.eddy.actuate.EddyHealthIndicator;
import dev.eddy.actuate.RecentUnobservedFailures;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.loop.EventLoop;
import dev.eddy.micrometer.EventLoopMetrics;
import dev.eddy.micrometer.NamedExecutorMetrics;
import dev.eddy.micrometer.UnobservedFailureMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code eddy} endpoint, the health component's rules and the metric binders' condition.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EddyOperationsTests {

	private static final String[] EXPOSED = { "management.endpoints.web.exposure.include=eddy" };

	@Test
	void whenTheEndpointIsReadShouldShowExecutorsLoopAndFailuresWithMessagesHidden() {
		MetricsFixture.runner()
			.withConfiguration(AutoConfigurations.of(EddyEndpointAutoConfiguration.class))
			.withUserConfiguration(Failing.Config.class)
			.withPropertyValues(EXPOSED)
			.withPropertyValues("eddy.executors.io.max-size=4", "eddy.executors.io.queue-capacity=50")
			.run((context) -> {
				EddyEndpoint endpoint = context.getBean(EddyEndpoint.class);
				context.getBean(Failing.class).fail();
				RecentUnobservedFailures recent = context.getBean(RecentUnobservedFailures.class);
				awaitTrue(() -> recent.total() == 1);
				// The report comes from the body's throw; the executor counts the task just after, on its thread.
				awaitTrue(() -> endpoint.executor("io").completed() == 1);
				EddyDescriptor all = endpoint.eddy(SecurityContext.NONE);
				assertThat(all.executors()).containsOnlyKeys("executor", "io");
				ExecutorDescriptor io = all.executors().get("io");
				assertThat(io.kind()).isEqualTo("platform");
				assertThat(io.limits().maxSize()).isEqualTo(4);
				assertThat(io.limits().queueCapacity()).isEqualTo(50);
				assertThat(io.limits().rejectionPolicy()).isEqualTo("abort");
				assertThat(io.completed()).isEqualTo(1);
				assertThat(io.failed()).isEqualTo(1);
				assertThat(io.rejected()).isZero();
				assertThat(all.loop().name()).isEqualTo("eddy-loop");
				assertThat(all.loop().state()).isEqualTo("running");
				assertThat(all.loop().lag()).endsWith("ms").doesNotStartWith("over");
				assertThat(all.unobservedFailures().total()).isEqualTo(1);
				assertThat(all.unobservedFailures().recent()).singleElement().satisfies((failure) -> {
					assertThat(failure.exception()).isEqualTo("java.lang.IllegalStateException");
					assertThat(failure.message()).isEqualTo("******");
					assertThat(failure.source()).isEqualTo("EddyOperationsTests.Failing#fail");
					assertThat(failure.time()).isNotNull();
				});
				assertThat(endpoint.executor("io").limits().maxSize()).isEqualTo(4);
				assertThat(endpoint.executor("nope")).as("404").isNull();
			});
	}

	@Test
	void whenShowValuesIsAlwaysShouldShowFailureMessages() {
		MetricsFixture.runner()
			.withConfiguration(AutoConfigurations.of(EddyEndpointAutoConfiguration.class))
			.withUserConfiguration(Failing.Config.class)
			.withPropertyValues(EXPOSED)
			.withPropertyValues("eddy.executors.io.max-size=1", "management.endpoint.eddy.show-values=always")
			.run((context) -> {
				context.getBean(Failing.class).fail();
				awaitTrue(() -> context.getBean(RecentUnobservedFailures.class).total() == 1);
				assertThat(context.getBean(EddyEndpoint.class).eddy(SecurityContext.NONE).unobservedFailures().recent())
					.singleElement()
					.satisfies((failure) -> assertThat(failure.message()).isEqualTo("secret=42"));
			});
	}

	@Test
	void whenTheEndpointIsNotExposedShouldNotRegisterIt() {
		MetricsFixture.runner()
			.withConfiguration(AutoConfigurations.of(EddyEndpointAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EddyEndpoint.class));
	}

	@Test
	void whenTheLoopIsBlockedHealthShouldStayUpWithBlockedInTheDetails() {
		MetricsFixture.runner().withPropertyValues("eddy.loop.blocked-threshold=100ms").run((context) -> {
			EventLoop loop = context.getBean(EventLoop.class);
			EddyHealthIndicator health = context.getBean(EddyHealthIndicator.class);
			CountDownLatch release = new CountDownLatch(1);
			loop.execute(() -> {
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			try {
				awaitTrue(() -> health.health(true).getDetails().get("loop").toString().contains("state=blocked"));
				Health blocked = health.health(true);
				assertThat(blocked.getStatus()).isEqualTo(Status.UP);
			}
			finally {
				release.countDown();
			}
		});
	}

	@Test
	void whenTheLoopThreadDiesOrTheLoopClosesHealthShouldBeDown() {
		MetricsFixture.runner().run((context) -> {
			EddyHealthIndicator health = context.getBean(EddyHealthIndicator.class);
			context.getBean(EventLoop.class).close();
			assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void whenNoMeterRegistryExistsShouldCreateNoBinders() {
		EddyRunners.runner().withConfiguration(AutoConfigurations.of(EddyMetricsAutoConfiguration.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(EventLoopMetrics.class)
				.doesNotHaveBean(NamedExecutorMetrics.class)
				.doesNotHaveBean(UnobservedFailureMetrics.class);
		});
		MetricsFixture.runner().run((context) -> assertThat(context).hasSingleBean(EventLoopMetrics.class)
			.hasSingleBean(NamedExecutorMetrics.class)
			.hasSingleBean(UnobservedFailureMetrics.class));
	}

	private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	public static class Failing {

		@RunOnExecutor("io")
		public void fail() {
			throw new IllegalStateException("secret=42");
		}

		@Configuration(proxyBeanMethods = false)
		static class Config {

			@Bean
			Failing failing() {
				return new Failing();
			}

		}

	}

}
