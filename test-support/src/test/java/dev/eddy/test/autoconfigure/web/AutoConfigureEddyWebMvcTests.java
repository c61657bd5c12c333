package dev.eddy.test.autoconfigure.web;

import java.util.concurrent.CompletableFuture;

import dev.eddy.autoconfigure.EddyLoopAutoConfiguration;
import dev.eddy.concurrent.Futures;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import dev.eddy.test.autoconfigure.AutoConfigureEddy;
import dev.eddy.test.autoconfigure.Quotes;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code @WebMvcTest} leaves Eddy out; {@link AutoConfigureEddy} brings its beans, the aspect
 * included, so a controller's {@code @RunOnExecutor} service runs on Eddy's executor.
 */
@WebMvcTest(AutoConfigureEddyWebMvcTests.QuoteController.class)
@AutoConfigureEddy
@Import({ Quotes.class, AutoConfigureEddyWebMvcTests.QuoteController.class })
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

	}

}
