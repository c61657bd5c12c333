package dev.eddy.autoconfigure;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.loop.EventLoop;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Context propagation with a real tracer: Micrometer Tracing's Brave bridge as Spring Boot
 * configures it (its MDC correlation puts {@code traceId}/{@code spanId} in the MDC). Inside
 * {@code @RunOnExecutor} bodies and loop callbacks the MDC holds the caller's trace and span and
 * the caller's own MDC keys, not the worker's; afterwards the worker thread's MDC is as it was
 * (the pool thread read through the executor itself, the loop's decorator on a thread of its
 * own, since every loop callback is decorated); Eddy registers
 * nothing in the global context registry.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TracingPropagationTests {

	@Test
	void whenATracedCallerCallsShouldSeeItsTraceSpanAndMdcKeysThereAndNothingAfter() {
		int globalAccessors = ContextRegistry.getInstance().getThreadLocalAccessors().size();
		EddyRunners.runner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
					BraveAutoConfiguration.class))
			.withUserConfiguration(Config.class)
			.withPropertyValues("eddy.executors.io.max-size=1", "eddy.executors.io.core-size=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Tracer tracer = context.getBean(Tracer.class);
				Traced traced = context.getBean(Traced.class);
				EventLoop loop = context.getBean(EventLoop.class);
				// The pool thread's own MDC before (set through the executor itself, which does not propagate): a key of
				// its own that the call must not see, nor lose.
				NamedExecutor io = context.getBean("io", NamedExecutor.class);
				CompletableFuture.runAsync(() -> MDC.put("worker", "pool"), io).get(10, TimeUnit.SECONDS);
				ContextPropagatingDecorator decorator = context.getBean(ContextPropagatingDecorator.class);
				Span span = tracer.nextSpan().name("caller").start();
				Map<String, String> inBody;
				Map<String, String> inCallback;
				try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
					MDC.put("tenant", "acme");
					assertThat(MDC.get("traceId")).as("Brave's MDC correlation on the caller").isEqualTo(span.context().traceId());
					inBody = traced.mdc().get(10, TimeUnit.SECONDS);
					inCallback = CompletableFuture.supplyAsync(TracingPropagationTests::copyOfMdc, loop::execute).get(10, TimeUnit.SECONDS);
					// The decorator the loop uses, run on a thread with an MDC of its own: restored afterwards.
					CompletableFuture<Map<String, String>> seenThere = new CompletableFuture<>();
					Runnable wrapped = decorator.apply(() -> seenThere.complete(copyOfMdc()));
					CompletableFuture<Map<String, String>> after = new CompletableFuture<>();
					Thread other = new Thread(() -> {
						MDC.put("worker", "other");
						wrapped.run();
						after.complete(copyOfMdc());
					});
					other.start();
					assertThat(seenThere.get(10, TimeUnit.SECONDS)).containsEntry("traceId", span.context().traceId())
						.containsEntry("tenant", "acme")
						.doesNotContainKey("worker");
					assertThat(after.get(10, TimeUnit.SECONDS)).containsExactly(Map.entry("worker", "other"));
					other.join(10_000);
				}
				finally {
					MDC.remove("tenant");
					span.end();
				}
				for (Map<String, String> seen : java.util.List.of(inBody, inCallback)) {
					assertThat(seen).containsEntry("traceId", span.context().traceId())
						.containsEntry("spanId", span.context().spanId())
						.containsEntry("tenant", "acme")
						.doesNotContainKey("worker");
				}
				assertThat(CompletableFuture.supplyAsync(TracingPropagationTests::copyOfMdc, io).get(10, TimeUnit.SECONDS))
					.as("the pool thread's MDC after the traced call")
					.containsExactly(Map.entry("worker", "pool"));
			});
		assertThat(ContextRegistry.getInstance().getThreadLocalAccessors()).as("Eddy registered nothing globally")
			.hasSize(globalAccessors)
			.noneMatch((accessor) -> Slf4jThreadLocalAccessor.KEY.equals(accessor.key()));
	}

	static Map<String, String> copyOfMdc() {
		Map<String, String> copy = MDC.getCopyOfContextMap();
		return (copy != null) ? copy : Map.of();
	}

	public static class Traced {

		@RunOnExecutor("io")
		public CompletableFuture<Map<String, String>> mdc() {
			return CompletableFuture.completedFuture(copyOfMdc());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		Traced traced() {
			return new Traced();
		}

	}

}
