package dev.eddy.web;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.GarbageCollection;
import dev.eddy.web.WebFixture.MdcFilter;
import dev.eddy.web.WebFixture.Pending;
import dev.eddy.web.WebFixture.Reports;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spring Boot application on embedded Tomcat, on a random loopback port, called with the
 * JDK's HTTP client, with Reactor present and hidden from the application's class loader: the
 * {@code LoopFuture} of a {@code @RunOnExecutor} service is the body, its failure reaches
 * {@code @ExceptionHandler}, the async request timeout and a client that goes away cancel it, and
 * the response is written with each request's own MDC.
 * <p>Started with {@link SpringApplication} and {@code server.port=0} (what
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} does) so that the class loader can be
 * filtered.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoopFutureTomcatTests {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	static ConfigurableApplicationContext start(boolean reactorPresent) {
		SpringApplication application = new SpringApplication(TomcatApp.class);
		if (!reactorPresent) {
			application.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader("reactor.")));
		}
		application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1",
				"spring.mvc.async.request-timeout", "3s", "spring.main.banner-mode", "off"));
		return application.run();
	}

	private HttpResponse<String> get(int port, String path, String requestId) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.header("Accept", "application/json");
		if (requestId != null) {
			request.header("X-Request-Id", requestId);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@ParameterizedTest(name = "reactor present: {0}")
	@ValueSource(booleans = { true, false })
	void realServer_valueFailureEntityTimeoutDisconnectAndMdc(boolean reactorPresent) throws Exception {
		try (ConfigurableApplicationContext context = start(reactorPresent)) {
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			EventLoop loop = context.getBean(EventLoop.class);
			Pending pending = context.getBean(Pending.class);

			HttpResponse<String> value = get(port, "/orders/42", "r-value");
			assertThat(value.statusCode()).isEqualTo(200);
			assertThat(value.headers().firstValue("Content-Type")).hasValue("application/json");
			assertThat(value.body()).isEqualTo("{\"id\":\"42\",\"quantity\":3}");
			assertThat(value.headers().firstValue(WebFixture.MDC_HEADER)).hasValue("r-value");

			HttpResponse<String> failure = get(port, "/orders/missing-1", "r-fail");
			assertThat(failure.statusCode()).isEqualTo(404);
			assertThat(failure.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(failure.body()).contains("\"detail\":\"no order 'missing-1'\"").contains("\"mdcRequestId\":\"r-fail\"");

			assertThat(get(port, "/orders/teapot", null).statusCode()).isEqualTo(418);

			HttpResponse<String> created = get(port, "/created/8", null);
			assertThat(created.statusCode()).isEqualTo(201);
			assertThat(created.headers().firstValue("X-Order")).hasValue("8");
			assertThat(created.body()).isEqualTo("created 8");

			HttpResponse<String> completable = get(port, "/completable/9", "r-cf");
			assertThat(completable.statusCode()).isEqualTo(200);
			assertThat(completable.body()).isEqualTo("{\"id\":\"9\",\"quantity\":3}");

			// Concurrent requests: each response is written with its own request's MDC.
			List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/" + i))
					.timeout(Duration.ofSeconds(20))
					.header("X-Request-Id", "c-" + i)
					.build();
				responses.add(this.client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
			}
			for (int i = 0; i < responses.size(); i++) {
				HttpResponse<String> response = responses.get(i).get(30, TimeUnit.SECONDS);
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(response.body()).isEqualTo("{\"id\":\"" + i + "\",\"quantity\":3}");
				assertThat(response.headers().firstValue(WebFixture.MDC_HEADER)).hasValue("c-" + i);
			}

			// The async request timeout (3 s) cancels the future, and the client gets Spring's 503.
			pending.futures.clear();
			HttpResponse<String> timedOut = get(port, "/slow", null);
			assertThat(timedOut.statusCode()).isEqualTo(503);
			LoopFuture<String> slow = WebFixture.onlyPending(pending);
			Awaitility.await().atMost(Duration.ofSeconds(5))
				.until(() -> WebFixture.cancellationMessage(loop, slow).startsWith("The async request timeout expired"));
			assertThat(WebFixture.cancellationMessage(loop, slow)).isEqualTo("The async request timeout expired for "
					+ "'GET /slow' before WebFixture.OrderController#slow completed; raise spring.mvc.async.request-timeout "
					+ "if it needs longer");

			// A client that goes away while nothing is written: Tomcat tells the async listeners only when it next
			// touches the connection, which for an idle async request is the timeout. Measured: the future is then
			// cancelled with the timeout's message; it is never left pending.
			pending.futures.clear();
			try (Socket socket = new Socket("127.0.0.1", port)) {
				OutputStream out = socket.getOutputStream();
				out.write("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
				WebFixture.onlyPending(pending);
			}
			LoopFuture<String> abandoned = pending.futures.get(0);
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> WebFixture.cancellationMessage(loop, abandoned)
				.startsWith("The async request"));
			assertThat(WebFixture.cancellationMessage(loop, abandoned)).contains("'GET /slow'")
				.contains("WebFixture.OrderController#slow");

			GarbageCollection.settle();
			assertThat(context.getBean(Reports.class).reports).as("unobserved-failure reports").isEmpty();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(WebFixture.WebConfig.class)
	static class TomcatApp {

		@Bean
		MdcFilter mdcFilter() {
			return new MdcFilter();
		}

	}

}
