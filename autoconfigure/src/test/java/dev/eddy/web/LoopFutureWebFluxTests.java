package dev.eddy.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.GarbageCollection;
import dev.eddy.web.WebFixture.Order;
import dev.eddy.web.WebFixture.OrderNotFoundException;
import dev.eddy.web.WebFixture.OrderService;
import dev.eddy.web.WebFixture.Pending;
import dev.eddy.web.WebFixture.Reports;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real WebFlux application on Reactor Netty, on a random loopback port, called with a
 * {@link WebTestClient} bound to the server: a {@code LoopFuture} handler return value is written
 * as a {@code Mono}'s is, its failure reaches {@code @ExceptionHandler}, a {@code ResponseEntity}
 * inside it sets status and headers, a {@code Mono} handler composes an Eddy future without
 * blocking, and a client that gives up cancels the future. WebFlux needs Reactor, so there is no
 * Reactor-absent variant.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoopFutureWebFluxTests {

	static ConfigurableApplicationContext start() {
		SpringApplication application = new SpringApplication(FluxApp.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1", "spring.main.banner-mode",
				"off", "spring.autoconfigure.exclude",
				"org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration"));
		return application.run();
	}

	@Test
	void reactorNetty_valueFailureEntityComposedAndCancellation() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			assertThat(context.getClass().getName()).contains("Reactive");
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
				.responseTimeout(Duration.ofSeconds(20))
				.build();

			client.get().uri("/orders/42").accept(MediaType.APPLICATION_JSON).exchange()
				.expectStatus().isOk()
				.expectHeader().contentType(MediaType.APPLICATION_JSON)
				.expectBody(String.class).isEqualTo("{\"id\":\"42\",\"quantity\":3}");

			client.get().uri("/orders/missing-2").exchange()
				.expectStatus().isNotFound()
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody().jsonPath("$.detail").isEqualTo("no order 'missing-2'");

			client.get().uri("/orders/teapot").exchange().expectStatus().isEqualTo(HttpStatus.I_AM_A_TEAPOT);

			client.get().uri("/created/6").exchange()
				.expectStatus().isCreated()
				.expectHeader().valueEquals("X-Order", "6")
				.expectBody(String.class).isEqualTo("created 6");

			client.get().uri("/composed/5").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("5 x 3");

			client.get().uri("/completable/4").exchange().expectStatus().isOk()
				.expectBody(String.class).isEqualTo("{\"id\":\"4\",\"quantity\":3}");

			client.get().uri("/nothing").exchange().expectStatus().isOk().expectBody().isEmpty();

			// A client that gives up (its response timeout) closes the connection; the server cancels the future.
			Pending pending = context.getBean(Pending.class);
			WebTestClient impatient = client.mutate().responseTimeout(Duration.ofMillis(500)).build();
			assertThatThrownBy(() -> impatient.get().uri("/slow").exchange()).hasMessageContaining("Timeout");
			LoopFuture<String> slow = WebFixture.onlyPending(pending);
			EventLoop loop = context.getBean(EventLoop.class);
			Awaitility.await().atMost(Duration.ofSeconds(10))
				.until(() -> WebFixture.cancellationMessage(loop, slow).startsWith("The subscriber of the Mono of "));

			GarbageCollection.settle();
			assertThat(context.getBean(Reports.class).reports).as("unobserved-failure reports").isEmpty();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class FluxApp {

		@Bean
		OrderService orderService() {
			return new OrderService();
		}

		@Bean
		Pending pending() {
			return new Pending();
		}

		@Bean
		Reports reports() {
			return new Reports();
		}

		@Bean
		FluxController fluxController(OrderService service, EventLoop loop, Pending pending) {
			return new FluxController(service, loop, pending);
		}

		@Bean
		FluxAdvice fluxAdvice() {
			return new FluxAdvice();
		}

	}

	@RestController
	static class FluxController {

		private final OrderService service;

		private final EventLoop loop;

		private final Pending pending;

		FluxController(OrderService service, EventLoop loop, Pending pending) {
			this.service = service;
			this.loop = loop;
			this.pending = pending;
		}

		@GetMapping("/orders/{id}")
		LoopFuture<Order> order(@PathVariable String id) {
			return this.service.find(id);
		}

		@GetMapping("/created/{id}")
		LoopFuture<ResponseEntity<String>> created(@PathVariable String id) {
			return this.service.create(id);
		}

		@GetMapping("/composed/{id}")
		Mono<String> composed(@PathVariable String id) {
			return EddyReactor.toMono(this.service.find(id)).map((order) -> order.id() + " x " + order.quantity());
		}

		@GetMapping("/completable/{id}")
		CompletableFuture<Order> completable(@PathVariable String id) {
			return this.service.findCompletable(id);
		}

		@GetMapping("/nothing")
		LoopFuture<?> nothing() {
			return this.service.nothing();
		}

		@GetMapping("/slow")
		LoopFuture<String> slow() {
			LoopFuture<String> future = this.loop.newFuture();
			this.pending.futures.add(future);
			return future;
		}

	}

	@RestControllerAdvice
	static class FluxAdvice {

		@ExceptionHandler(OrderNotFoundException.class)
		ResponseEntity<ProblemDetail> notFound(OrderNotFoundException ex) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND)
				.body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage()));
		}

	}

}
