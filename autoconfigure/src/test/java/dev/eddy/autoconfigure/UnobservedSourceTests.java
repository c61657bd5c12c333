package dev.eddy.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.micrometer.EddyMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An unobserved failure of a future returned by a {@code @RunOnExecutor} method is reported with
 * the method as its source ({@code Class#method}, GC-1 and docs/metrics.md's {@code source} tag),
 * whether the method returns a {@code CompletableFuture} or a {@code LoopFuture}: an operator must
 * see which method dropped it, not only the loop's name.
 */
class UnobservedSourceTests {

	@Test
	void droppedFailuresOfRunOnExecutorFuturesNameTheirMethodAsSource() {
		MetricsFixture.runner()
			.withPropertyValues("eddy.executors.io.max-size=2")
			.withUserConfiguration(Config.class)
			.run((context) -> {
				Dropper dropper = context.getBean(Dropper.class);
				dropper.loopFuture(); // dropped
				dropper.completableFuture(); // dropped
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
				while (count(registry, "UnobservedSourceTests.Dropper#loopFuture") < 1
						|| count(registry, "UnobservedSourceTests.Dropper#completableFuture") < 1) {
					assertThat(System.nanoTime() - deadline).as("both dropped failures reported, reported so far: %s",
							registry.find(EddyMeters.UNOBSERVED).counters().stream().map((c) -> c.getId().getTag("source") + "=" + c.count()).toList())
						.isNegative();
					System.gc();
					Thread.sleep(20);
				}
				assertThat(count(registry, "eddy-loop")).as("nothing reported under the loop's name").isZero();
			});
	}

	private static double count(MeterRegistry registry, String source) {
		return registry.find(EddyMeters.UNOBSERVED).tag("source", source).counters().stream().mapToDouble(Counter::count).sum();
	}

	public static class Dropper {

		@RunOnExecutor("io")
		public LoopFuture<String> loopFuture() {
			throw new IllegalStateException("dropped LoopFuture");
		}

		@RunOnExecutor("io")
		public CompletableFuture<String> completableFuture() {
			throw new IllegalStateException("dropped CompletableFuture");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		Dropper dropper() {
			return new Dropper();
		}

	}

}
