package dev.eddy.test.autoconfigure.web;

import java.util.concurrent.CompletableFuture;

import dev.eddy.autoconfigure.EddyLoopAutoConfiguration;
import dev.eddy.concurrent.Futures;
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
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code @WebMvcTest} leaves Eddy out; {@link AutoConfigureEddy} brings its beans, the aspect
 * and the web integration included, so a controller's {@code @RunOnExecutor} service runs on
 * Eddy's executor, and a controller that returns its {@code LoopFuture} answers with the value,
 * or with its failure through the slice's {@code @ExceptionHandler}.
 */
@WebMvcTest(AutoConfigureEddyWebMvcTests.QuoteController.class)
@AutoConfigureEddy
@FailOnUnobservedFailures
@Import({ Quotes.class, AutoConfigureEddyWebMvcTests.QuoteController.class, AutoConfigureEddyWebMvcTests.QuoteAdvice.class })
class AutoConfigureEddyWebMvcTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	Quotes quotes;

	@Test
	void whenSliceHasAutoConfigureEddyShouldHaveEddysBeansByName() {
		assertThat(this.context.getBean(EddyLoopAutoConfiguration.LOOP_BEAN)).isInstanceOf(EventLoop.class);
		assertThat(this.context.getBeanNamesForType(EventLoop.class)).containsExactly("eddyLoop");
		assertThat(this.context.getBeanNamesForType(NamedExecutors.class)).hasSize(1);
		assertThat(this.context.getBeanNamesForType(Futures.class)).containsExactly("eddyFutures");
		assertThat(this.context.getBeanNamesForType(UnobservedFailureDetector.class))
			.containsExactly("eddyUnobservedFailureDetector");
		assertThat(AopUtils.isAopProxy(this.quotes)).as("the @RunOnExecutor service is proxied").isTrue();
		assertThat(this.context.getBean(RequestMappingHandlerAdapter.class).getReturnValueHandlers()).first()
			.as("Eddy's LoopFuture return value handler, first")
			.hasToString("LoopFutureReturnValueHandler");
	}

	@Test
	void whenControllerReturnsTheServicesLoopFutureShouldAnswerWithItsValue() throws Exception {
		MvcResult started = this.mvc.perform(get("/loop/ACME")).andExpect(request().asyncStarted()).andReturn();
		this.mvc.perform(asyncDispatch(started))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.startsWith("ACME=42 on eddy-executor")));
	}

	@Test
	void whenTheLoopFutureFailsShouldAnswerThroughTheExceptionHandler() throws Exception {
		// @FailOnUnobservedFailures: the failure reaching @ExceptionHandler counts as observed, or this test fails.
		MvcResult started = this.mvc.perform(get("/loop/NOPE")).andExpect(request().asyncStarted()).andReturn();
		this.mvc.perform(asyncDispatch(started))
			.andExpect(status().isNotFound())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value("no quote for 'NOPE'"));
	}

	@Test
	void whenControllerReturnsTheServicesFutureShouldAnswerFromTheExecutorThread() throws Exception {
		MvcResult started = this.mvc.perform(get("/quotes/ACME")).andExpect(request().asyncStarted()).andReturn();
		this.mvc.perform(asyncDispatch(started))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.startsWith("ACME=42 on eddy-executor")));
	}

	@RestController
	static class QuoteController {

		private final Quotes quotes;

		QuoteController(Quotes quotes) {
			this.quotes = quotes;
		}

		@GetMapping("/quotes/{symbol}")
		CompletableFuture<String> quote(@PathVariable String symbol) {
			return this.quotes.quoteLater(symbol);
		}

		@GetMapping("/loop/{symbol}")
		LoopFuture<String> loopQuote(@PathVariable String symbol) {
			return this.quotes.quote(symbol);
		}

	}

	@RestControllerAdvice
	static class QuoteAdvice {

		@ExceptionHandler(Quotes.UnknownSymbolException.class)
		ProblemDetail unknown(Quotes.UnknownSymbolException ex) {
			return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		}

	}

}
