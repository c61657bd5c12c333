package dev.eddy.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.loop.EventLoop;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caller's current Micrometer observation (and so its trace) is current in
 * {@code @RunOnExecutor} bodies and loop callbacks, through context-propagation.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ObservationPropagationTests {

	private static final ObservationRegistry REGISTRY = ObservationRegistry.create();

	static {
		REGISTRY.observationConfig().observationHandler((context) -> true);
	}

	@Test
	void whenAnObservationIsCurrentOnTheCallerShouldBeCurrentInTheBodyAndInLoopCallbacks() {
		EddyRunners.runner().withUserConfiguration(ServiceConfig.class).run((context) -> {
			Service service = context.getBean(Service.class);
			EventLoop loop = context.getBean(EventLoop.class);
			Observation request = Observation.start("http.request", REGISTRY);
			CompletableFuture<@Nullable String> inBody;
			CompletableFuture<@Nullable String> inCallback = new CompletableFuture<>();
			try (Observation.Scope scope = request.openScope()) {
				inBody = service.currentObservation();
				loop.execute(() -> inCallback.complete(currentName()));
			}
			finally {
				request.stop();
			}
			assertThat(inBody.get(5, TimeUnit.SECONDS)).isEqualTo("http.request");
			assertThat(inCallback.get(5, TimeUnit.SECONDS)).isEqualTo("http.request");
			assertThat(service.currentObservation().get(5, TimeUnit.SECONDS)).as("without a current observation").isNull();
		});
	}

	static @Nullable String currentName() {
		Observation current = REGISTRY.getCurrentObservation();
		return (current != null) ? current.getContext().getName() : null;
	}

	public static class Service {

		@RunOnExecutor
		public CompletableFuture<@Nullable String> currentObservation() {
			return CompletableFuture.completedFuture(currentName());
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
