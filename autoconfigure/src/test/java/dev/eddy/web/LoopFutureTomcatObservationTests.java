package dev.eddy.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The observation and the tracing MDC of a Spring MVC request when the response of a
 * {@code LoopFuture} handler is written, on embedded Tomcat called over HTTP, with Boot's
 * observation of server requests and Micrometer Tracing's Brave bridge (whose MDC correlation
 * puts {@code traceId} in the MDC). The future completes on the loop after the request thread
 * has left; the async dispatch writes the response. A body advice and the
 * {@code @ExceptionHandler} read the MDC's {@code traceId} and the current observation there:
 * they must be the request's, which each request chooses through its {@code traceparent}
 * header. Twenty concurrent requests each see their own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoopFutureTomcatObservationTests {

	static final String TRACE_HEADER = "X-Mdc-Trace-Id";

	static final String OBSERVED_HEADER = "X-Observed-Request";

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	static ConfigurableApplicationContext start() {
		SpringApplication application = new SpringApplication(TracedMvcApp.class);
		application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1", "spring.main.banner-mode",
				"off", "management.tracing.sampling.probability", "1.0"));
		return application.run();
	}

	static String traceId(int i) {
		return HexFormat.of().toHexDigits(0x7ace_0000_0000_0000L + i) + HexFormat.of().toHexDigits(0x2000L + i);
	}

	HttpRequest traced(int port, String path, int i) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.header("Accept", "application/json")
			.header("traceparent", "00-" + traceId(i) + "-" + HexFormat.of().toHexDigits(0xdefL + i) + "-01")
			.header("X-Request-Id", "req-" + i)
			.build();
	}

	@Test
	void tomcat_loopFutureResponse_isWrittenWithTheRequestsObservationAndTrace() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));

			HttpResponse<String> value = this.client.send(traced(port, "/traced/1", 1), HttpResponse.BodyHandlers.ofString());
			assertThat(value.statusCode()).isEqualTo(200);
			assertThat(value.body()).isEqualTo("{\"id\":\"1\",\"quantity\":3}");
			assertThat(value.headers().firstValue(TRACE_HEADER)).as("MDC traceId when the body is written").hasValue(traceId(1));
			assertThat(value.headers().firstValue(OBSERVED_HEADER)).as("current observation when the body is written")
				.hasValue("http.server.requests of req-1");

			HttpResponse<String> failure = this.client.send(traced(port, "/traced/missing-2", 2),
					HttpResponse.BodyHandlers.ofString());
			assertThat(failure.statusCode()).isEqualTo(404);
			assertThat(failure.body()).contains("\"mdcTraceId\":\"" + traceId(2) + "\"")
				.contains("\"observed\":\"http.server.requests of req-2\"");

			List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
			for (int i = 10; i < 30; i++) {
				responses.add(this.client.sendAsync(traced(port, "/traced/" + i, i), HttpResponse.BodyHandlers.ofString()));
			}
			for (int i = 10; i < 30; i++) {
				HttpResponse<String> response = responses.get(i - 10).get(60, TimeUnit.SECONDS);
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(response.headers().firstValue(TRACE_HEADER)).as("trace of request %d", i).hasValue(traceId(i));
				assertThat(response.headers().firstValue(OBSERVED_HEADER)).hasValue("http.server.requests of req-" + i);
			}
		}
	}

	/** The current observation: its name and the X-Request-Id of the request it observes. */
	static String currentObservation(ObservationRegistry registry) {
		Observation observation = registry.getCurrentObservation();
		if (observation == null) {
			return "none";
		}
		if (observation.getContext() instanceof ServerRequestObservationContext server) {
			HttpServletRequest request = server.getCarrier();
			return observation.getContext().getName() + " of " + request.getHeader("X-Request-Id");
		}
		return observation.getContext().getName();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TracedMvcApp {

		@Bean
		SlowOrders slowOrders() {
			return new SlowOrders();
		}

		@Bean
		TracedMvcController tracedMvcController(SlowOrders orders) {
			return new TracedMvcController(orders);
		}

		@Bean
		TracedMvcAdvice tracedMvcAdvice(ObservationRegistry registry) {
			return new TracedMvcAdvice(registry);
		}

	}

	/** Runs on Eddy's default executor, long enough for the request thread to leave first. */
	public static class SlowOrders {

		@RunOnExecutor
		public LoopFuture<WebFixture.Order> find(String id) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
			if (id.startsWith("missing")) {
				throw new WebFixture.OrderNotFoundException(id);
			}
			return LoopFuture.completed(new WebFixture.Order(id, 3));
		}

	}

	@RestController
	static class TracedMvcController {

		private final SlowOrders orders;

		TracedMvcController(SlowOrders orders) {
			this.orders = orders;
		}

		@GetMapping("/traced/{id}")
		LoopFuture<WebFixture.Order> order(@PathVariable String id) {
			return this.orders.find(id);
		}

	}

	@RestControllerAdvice
	static class TracedMvcAdvice implements ResponseBodyAdvice<Object> {

		private final ObservationRegistry registry;

		TracedMvcAdvice(ObservationRegistry registry) {
			this.registry = registry;
		}

		@ExceptionHandler(WebFixture.OrderNotFoundException.class)
		ResponseEntity<ProblemDetail> notFound(WebFixture.OrderNotFoundException ex) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
			problem.setProperty("mdcTraceId", String.valueOf(MDC.get("traceId")));
			problem.setProperty("observed", currentObservation(this.registry));
			return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
		}

		@Override
		public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
			return true;
		}

		@Override
		public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType, MediaType contentType,
				Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
			response.getHeaders().set(TRACE_HEADER, String.valueOf(MDC.get("traceId")));
			response.getHeaders().set(OBSERVED_HEADER, currentObservation(this.registry));
			return body;
		}

	}

}
