package dev.eddy.test.autoconfigure.web;

import dev.eddy.autoconfigure.EddyLoopAutoConfiguration;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import dev.eddy.test.FailOnUnobservedFailures;
import dev.eddy.test.autoconfigure.AutoConfigureEddy;
import dev.eddy.test.autoconfigure.Quotes;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @WebFluxTest} with {@link AutoConfigureEddy}: Eddy's beans, the aspect and the WebFlux
 * integration (the {@code LoopFuture} adapter in the application's {@code ReactiveAdapterRegistry})
 * are in the slice, so a controller that returns a {@code @RunOnExecutor} service's
 * {@code LoopFuture} answers with its value, or with its failure through {@code @ExceptionHandler}.
 * {@link WebFluxSliceWithoutEddyTests} is the control.
 */
@WebFluxTest(AutoConfigureEddyWebFluxTests.FluxQuoteController.class)
@AutoConfigureEddy
@FailOnUnobservedFailures
@Import({ Quotes.class, AutoConfigureEddyWebFluxTests.FluxQuoteController.class, AutoConfigureEddyWebFluxTests.FluxAdvice.class })
class AutoConfigureEddyWebFluxTests {

	@Autowired
	WebTestClient client;

	@Autowired
	ApplicationContext context;

	@Autowired
	Quotes quotes;

	@Test
	void whenSliceHasAutoConfigureEddyShouldHaveEddysBeansAndTheLoopFutureAdapter() {
		assertThat(this.context.getBean(EddyLoopAutoConfiguration.LOOP_BEAN)).isInstanceOf(EventLoop.class);
		assertThat(this.context.getBeanNamesForType(NamedExecutors.class)).hasSize(1);
		assertThat(this.context.getBeanNamesForType(UnobservedFailureDetector.class))
			.containsExactly("eddyUnobservedFailureDetector");
		assertThat(AopUtils.isAopProxy(this.quotes)).as("the @RunOnExecutor service is proxied").isTrue();
		ReactiveAdapterRegistry registry = this.context.getBean("webFluxAdapterRegistry", ReactiveAdapterRegistry.class);
		assertThat(registry.getAdapter(LoopFuture.class)).as("LoopFuture adapter in the slice's registry").isNotNull();
	}

	@Test
	void whenControllerReturnsTheServicesLoopFutureShouldAnswerWithItsValue() {
		this.client.get().uri("/loop/ACME").exchange()
			.expectStatus().isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).startsWith("ACME=42 on eddy-executor"));
	}

	@Test
	void whenTheLoopFutureFailsShouldAnswerThroughTheExceptionHandler() {
		// @FailOnUnobservedFailures: the failure reaching @ExceptionHandler counts as observed, or this test fails.
		this.client.get().uri("/loop/NOPE").exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.detail").isEqualTo("no quote for 'NOPE'");
	}

	@RestController
	static class FluxQuoteController {

		private final Quotes quotes;

		FluxQuoteController(Quotes quotes) {
			this.quotes = quotes;
		}

		@GetMapping("/loop/{symbol}")
		LoopFuture<String> loopQuote(@PathVariable String symbol) {
			return this.quotes.quote(symbol);
		}

	}

	@RestControllerAdvice
	static class FluxAdvice {

		@ExceptionHandler(Quotes.UnknownSymbolException.class)
		ProblemDetail unknown(Quotes.UnknownSymbolException ex) {
			return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		}

	}

}
