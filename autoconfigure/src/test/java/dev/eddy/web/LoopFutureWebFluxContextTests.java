package dev.eddy.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.loop.EventLoop;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MDC and the observation of a WebFlux request when the response of a {@code LoopFuture}
 * handler is written, on a real Reactor Netty server called over HTTP, with Micrometer Tracing's
 * Brave bridge as Boot configures it (its MDC correlation puts {@code traceId}/{@code spanId} in
 * the MDC while the request's observation is in scope) and
 * {@code spring.reactor.context-propagation=auto}, the setting under which WebFlux has thread
 * locals at all. The {@code LoopFuture} completes on the loop thread, in another thread than the
 * one that subscribed; the response is committed on that thread. A filter reads, in the
 * response's {@code beforeCommit} action, the MDC's {@code traceId} and the current observation,
 * and writes them into headers: they must be those of the request, which each request chooses
 * through its {@code traceparent} header. The {@code @ExceptionHandler} of a failure reads them
 * too. Forty concurrent requests each see their own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoopFutureWebFluxContextTests {

	static final String TRACE_HEADER = "X-Mdc-Trace-Id";

	static final String OBSERVED_HEADER = "X-Observed-Request";

	static final String THREAD_HEADER = "X-Commit-Thread";

	@AfterEach
	void disableAutomaticContextPropagation() {
		// Boot's ReactorAutoConfiguration switched it on for the whole JVM and never switches it off.
		Hooks.disableAutomaticContextPropagation();
	}

	static ConfigurableApplicationContext start() {
		SpringApplication application = new SpringApplication(TracedFluxApp.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1", "spring.main.banner-mode",
				"off", "spring.reactor.context-propagation", "auto", "management.tracing.sampling.probability", "1.0",
				"spring.autoconfigure.exclude",
				"org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration"));
		return application.run();
	}

	/** A W3C trace id of 32 hex digits, one per request. */
	static String traceId(int i) {
		return HexFormat.of().toHexDigits(0x5eed_0000_0000_0000L + i) + HexFormat.of().toHexDigits(0x1000L + i);
	}

	static WebTestClient.RequestHeadersSpec<?> traced(WebTestClient client, String path, int i) {
		return client.get().uri(path).header("traceparent", "00-" + traceId(i) + "-" + HexFormat.of().toHexDigits(0xabcL + i)
				+ "-01").header("X-Request-Id", "req-" + i);
	}

	@Test
	void reactorNetty_loopFutureResponse_isWrittenWithTheRequestsMdcAndObservation() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			assertThat(context.getBeanNamesForType(ObservationRegistry.class)).as("Boot's observation registry").isNotEmpty();
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
				.responseTimeout(Duration.ofSeconds(20))
				.build();
			String loopThread = context.getBean(EventLoop.class).runSync(() -> LoopFuture.completed(Thread.currentThread().getName()),
					Duration.ofSeconds(5));

			EntityExchangeResult<String> value = traced(client, "/traced/1", 1).exchange()
				.expectStatus().isOk()
				.expectBody(String.class).isEqualTo("{\"id\":\"1\",\"quantity\":3}")
				.returnResult();
			HttpHeaders headers = value.getResponseHeaders();
			assertThat(headers.getFirst(THREAD_HEADER)).as("committed on the thread that completed the future")
				.isEqualTo(loopThread);
			assertThat(headers.getFirst(TRACE_HEADER)).as("MDC traceId when the response is written").isEqualTo(traceId(1));
			assertThat(headers.getFirst(OBSERVED_HEADER)).as("current observation when the response is written")
				.isEqualTo("http.server.requests of req-1");

			// The failure path: @ExceptionHandler runs with the request's MDC and observation, and so does the commit.
			EntityExchangeResult<byte[]> failure = traced(client, "/traced/missing-2", 2).exchange()
				.expectStatus().isNotFound()
				.expectBody()
				.jsonPath("$.detail").isEqualTo("no order 'missing-2'")
				.jsonPath("$.mdcTraceId").isEqualTo(traceId(2))
				.jsonPath("$.observed").isEqualTo("http.server.requests of req-2")
				.returnResult();
			assertThat(failure.getResponseHeaders().getFirst(TRACE_HEADER)).isEqualTo(traceId(2));

			// A Mono handler composing an Eddy future: the same.
			HttpHeaders composed = traced(client, "/composed/3", 3).exchange()
				.expectStatus().isOk()
				.expectBody(String.class).isEqualTo("3 x 3")
				.returnResult()
				.getResponseHeaders();
			assertThat(composed.getFirst(TRACE_HEADER)).isEqualTo(traceId(3));
			assertThat(composed.getFirst(OBSERVED_HEADER)).isEqualTo("http.server.requests of req-3");

			// Concurrent requests on one loop thread: each response is written with its own request's trace.
			List<Mono<EntityExchangeResult<String>>> concurrent = new ArrayList<>();
			for (int i = 10; i < 50; i++) {
				int n = i;
				concurrent.add(Mono.fromCallable(() -> traced(client, "/traced/" + n, n).exchange()
					.expectStatus().isOk()
					.expectBody(String.class)
					.returnResult()).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()));
			}
			List<EntityExchangeResult<String>> results = Mono.zip(concurrent, (all) -> {
				List<EntityExchangeResult<String>> list = new ArrayList<>();
				for (Object each : all) {
					@SuppressWarnings("unchecked")
					EntityExchangeResult<String> result = (EntityExchangeResult<String>) each;
					list.add(result);
				}
				return list;
			}).block(Duration.ofSeconds(60));
			assertThat(results).hasSize(40);
			for (EntityExchangeResult<String> result : results) {
				String body = result.getResponseBody();
				int n = Integer.parseInt(body.replaceAll("\\D", "").substring(0, 2));
				assertThat(body).isEqualTo("{\"id\":\"" + n + "\",\"quantity\":3}");
				assertThat(result.getResponseHeaders().getFirst(TRACE_HEADER)).as("trace of request %d", n).isEqualTo(traceId(n));
				assertThat(result.getResponseHeaders().getFirst(OBSERVED_HEADER)).isEqualTo("http.server.requests of req-" + n);
			}
		}
	}

	/** What the current observation is: its name and the X-Request-Id of the request it observes. */
	static String currentObservation(ObservationRegistry registry) {
		Observation observation = registry.getCurrentObservation();
		if (observation == null) {
			return "none";
		}
		if (observation.getContext() instanceof ServerRequestObservationContext server) {
			return observation.getContext().getName() + " of " + server.getCarrier().getHeaders().getFirst("X-Request-Id");
		}
		return observation.getContext().getName();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TracedFluxApp {

		@Bean
		TracedOrders tracedOrders() {
			return new TracedOrders();
		}

		@Bean
		TracedController tracedController(TracedOrders orders) {
			return new TracedController(orders);
		}

		@Bean
		TracedAdvice tracedAdvice(ObservationRegistry registry) {
			return new TracedAdvice(registry);
		}

		@Bean
		WebFilter commitRecorder(ObservationRegistry registry) {
			return new CommitRecorder(registry);
		}

	}

	/** Runs on Eddy's default executor; the LoopFuture completes on the loop, one iteration after the body (ROE-5). */
	public static class TracedOrders {

		@RunOnExecutor
		public LoopFuture<WebFixture.Order> find(String id) {
			// Long enough for WebFlux to subscribe first, so that the loop, not the server thread, completes it.
			java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
			if (id.startsWith("missing")) {
				throw new WebFixture.OrderNotFoundException(id);
			}
			return LoopFuture.completed(new WebFixture.Order(id, 3));
		}

	}

	@RestController
	static class TracedController {

		private final TracedOrders orders;

		TracedController(TracedOrders orders) {
			this.orders = orders;
		}

		@GetMapping("/traced/{id}")
		LoopFuture<WebFixture.Order> order(@PathVariable String id) {
			return this.orders.find(id);
		}

		@GetMapping("/composed/{id}")
		Mono<String> composed(@PathVariable String id) {
			return EddyReactor.toMono(this.orders.find(id)).map((order) -> order.id() + " x " + order.quantity());
		}

	}

	@RestControllerAdvice
	static class TracedAdvice {

		private final ObservationRegistry registry;

		TracedAdvice(ObservationRegistry registry) {
			this.registry = registry;
		}

		@ExceptionHandler(WebFixture.OrderNotFoundException.class)
		ResponseEntity<ProblemDetail> notFound(WebFixture.OrderNotFoundException ex) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
			problem.setProperty("mdcTraceId", String.valueOf(MDC.get("traceId")));
			problem.setProperty("observed", currentObservation(this.registry));
			return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
		}

	}

	/** Reads the MDC and the current observation when the response is committed, on the committing thread. */
	static final class CommitRecorder implements WebFilter {

		private final ObservationRegistry registry;

		CommitRecorder(ObservationRegistry registry) {
			this.registry = registry;
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
			ServerHttpResponse response = exchange.getResponse();
			response.beforeCommit(() -> {
				response.getHeaders().set(TRACE_HEADER, String.valueOf(MDC.get("traceId")));
				response.getHeaders().set(OBSERVED_HEADER, currentObservation(this.registry));
				response.getHeaders().set(THREAD_HEADER, Thread.currentThread().getName());
				return Mono.empty();
			});
			return chain.filter(exchange);
		}

	}

}
