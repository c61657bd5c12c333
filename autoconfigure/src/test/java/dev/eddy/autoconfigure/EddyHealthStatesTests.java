package dev.eddy.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.eddy.actuate.EddyEndpoint;
import dev.eddy.actuate.EddyHealthIndicator;
import dev.eddy.internal.LoopThreadFailure;
import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code eddy} health component tells a loop closed by the application's shutdown
 * ({@code state=closed}) from one that terminated while the application runs
 * ({@code state=dead}, its thread died), both DOWN, with a {@code reason} naming which; the
 * {@code eddy} endpoint shows the same state.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EddyHealthStatesTests {

	private static final AtomicReference<Health> healthAtDestruction = new AtomicReference<>();

	@Test
	@DisplayName("the loop's thread dies while the application runs: DOWN, state=dead, the reason says it terminated unexpectedly")
	void whenTheLoopThreadDiesWhileTheApplicationRunsHealthShouldBeDownAndDead() {
		MetricsFixture.runner()
			.withConfiguration(AutoConfigurations.of(EddyEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=eddy")
			.run((context) -> {
				EventLoop loop = context.getBean(EventLoop.class);
				EddyHealthIndicator health = context.getBean(EddyHealthIndicator.class);
				assertThat(loopDetails(health.health(true))).containsEntry("state", "running").doesNotContainKey("reason");
				LoopThreadFailure.inject(loop);
				assertThat(loop.awaitTermination(Duration.ofSeconds(10))).isTrue();
				Health dead = health.health(true);
				assertThat(dead.getStatus()).isEqualTo(Status.DOWN);
				assertThat(loopDetails(dead)).containsEntry("state", "dead");
				assertThat(loopDetails(dead).get("reason")).asString()
					.startsWith(EddyHealthIndicator.TERMINATED_UNEXPECTEDLY)
					.contains("simulated failure of the loop's own machinery")
					.endsWith("restart the application");
				assertThat(context.getBean(EddyEndpoint.class).eddy(SecurityContext.NONE).loop().state()).isEqualTo("dead");
			});
	}

	@Test
	@DisplayName("the application shuts down: the loop its lifecycle closed is DOWN with state=closed and the reason says the shutdown closed it")
	void whenTheApplicationShutsDownHealthShouldBeDownAndClosedByTheShutdown() {
		healthAtDestruction.set(null);
		MetricsFixture.runner().withBean(HealthAtDestruction.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(EddyHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.UP);
		});
		Health atDestruction = healthAtDestruction.get();
		assertThat(atDestruction).as("health read while the context was destroyed").isNotNull();
		assertThat(atDestruction.getStatus()).isEqualTo(Status.DOWN);
		assertThat(loopDetails(atDestruction)).containsEntry("state", "closed")
			.containsEntry("reason", EddyHealthIndicator.CLOSED_BY_SHUTDOWN);
	}

	@Test
	@DisplayName("without a context: a loop closed before applicationClosing() is closed by code, one closed after it by the shutdown")
	void withoutAContextApplicationClosingTellsTheStatesApart() {
		EventLoop unexpected = EventLoop.create("health-unexpected");
		EddyHealthIndicator first = new EddyHealthIndicator(unexpected, null);
		unexpected.close();
		assertThat(loopDetails(first.health(true))).containsEntry("state", "closed")
			.containsEntry("reason", EddyHealthIndicator.CLOSED_WHILE_RUNNING);
		EventLoop normal = EventLoop.create("health-normal");
		EddyHealthIndicator second = new EddyHealthIndicator(normal, null);
		second.applicationClosing();
		normal.close();
		Health closed = second.health(true);
		assertThat(closed.getStatus()).isEqualTo(Status.DOWN);
		assertThat(loopDetails(closed)).containsEntry("state", "closed").containsEntry("reason", EddyHealthIndicator.CLOSED_BY_SHUTDOWN);
		assertThat(unexpected.statistics().terminationCause()).as("closed, not terminated on its own").isNull();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> loopDetails(Health health) {
		return (Map<String, Object>) health.getDetails().get("loop");
	}

	/** Reads the health when it is destroyed: after every lifecycle phase stopped, so after Eddy closed its loop. */
	static final class HealthAtDestruction implements DisposableBean {

		private final EddyHealthIndicator health;

		HealthAtDestruction(EddyHealthIndicator health) {
			this.health = health;
		}

		@Override
		public void destroy() {
			healthAtDestruction.set(this.health.health(true));
		}

	}

}
