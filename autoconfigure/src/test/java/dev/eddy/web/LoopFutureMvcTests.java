package dev.eddy.web;

import java.util.concurrent.TimeUnit;

import dev.eddy.autoconfigure.EddyExecutorsAutoConfiguration;
import dev.eddy.autoconfigure.EddyLoopAutoConfiguration;
import dev.eddy.autoconfigure.EddyRunOnExecutorAutoConfiguration;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.GarbageCollection;
import dev.eddy.web.WebFixture.MdcFilter;
import dev.eddy.web.WebFixture.Pending;
import dev.eddy.web.WebFixture.Reports;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code LoopFuture} as the return value of Spring MVC handler methods, through MockMvc's async
 * dispatch, with Reactor present and hidden: the value is the body as a {@code CompletableFuture}'s
 * is, the failure reaches {@code @ExceptionHandler} and is observed, a timeout cancels the future,
 * and the response is written with the request's MDC.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopFutureMvcTests {

	static WebApplicationContextRunner runner(boolean reactorPresent) {
		WebApplicationContextRunner runner = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, AopAutoConfiguration.class,
					EddyLoopAutoConfiguration.class, EddyExecutorsAutoConfiguration.class,
					EddyRunOnExecutorAutoConfiguration.class, JacksonAutoConfiguration.class,
					HttpMessageConvertersAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
					WebMvcAutoConfiguration.class, EddyWebAutoConfiguration.class))
			.withUserConfiguration(WebFixture.WebConfig.class);
		return reactorPresent ? runner : runner.withClassLoader(new FilteredClassLoader("reactor."));
	}

	static MockMvc mvc(AssertableWebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context).addFilters(new MdcFilter()).build();
	}

	static MvcResult started(MockMvc mvc, org.springframework.test.web.servlet.RequestBuilder request) throws Exception {
		MvcResult result = mvc.perform(request).andExpect(request().asyncStarted()).andReturn();
		result.getAsyncResult(5000);
		return result;
	}

	@ParameterizedTest(name = "reactor present: {0}")
	@ValueSource(booleans = { true, false })
	void loopFuture_value_isTheJsonBody(boolean reactorPresent) {
		runner(reactorPresent).run((context) -> {
			MockMvc mvc = mvc(context);
			MvcResult result = started(mvc, get("/orders/42").accept(MediaType.APPLICATION_JSON));
			mvc.perform(asyncDispatch(result))
				.andExpect(status().isOk())
				.andExpect(content().contentType(MediaType.APPLICATION_JSON))
				.andExpect(jsonPath("$.id").value("42"))
				.andExpect(jsonPath("$.quantity").value(3));
		});
	}

	@ParameterizedTest(name = "reactor present: {0}")
	@ValueSource(booleans = { true, false })
	void loopFuture_andCompletableFuture_negotiateTheSameResponse(boolean reactorPresent) {
		runner(reactorPresent).run((context) -> {
			MockMvc mvc = mvc(context);
			for (String accept : new String[] { "application/json", "*/*", "application/xml" }) {
				MvcResult loop = mvc.perform(asyncDispatch(started(mvc, get("/orders/7").header("Accept", accept)))).andReturn();
				MvcResult completable = mvc
					.perform(asyncDispatch(started(mvc, get("/completable/7").header("Accept", accept))))
					.andReturn();
				assertThat(loop.getResponse().getStatus()).as(accept).isEqualTo(completable.getResponse().getStatus());
				assertThat(loop.getResponse().getContentType()).as(accept)
					.isEqualTo(completable.getResponse().getContentType());
				assertThat(loop.getResponse().getContentAsString()).as(accept)
					.isEqualTo(completable.getResponse().getContentAsString());
			}
			MvcResult text = started(mvc, get("/text/9").accept(MediaType.TEXT_PLAIN));
			mvc.perform(asyncDispatch(text))
				.andExpect(status().isOk())
				.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_PLAIN))
				.andExpect(content().string("order 9"));
		});
	}

	@ParameterizedTest(name = "reactor present: {0}")
	@ValueSource(booleans = { true, false })
	void loopFuture_failure_goesThroughExceptionHandlerAndIsObserved(boolean reactorPresent) {
		runner(reactorPresent).run((context) -> {
			MockMvc mvc = mvc(context);
			for (int i = 0; i < 20; i++) {
				MvcResult result = started(mvc, get("/orders/missing-" + i).header("X-Request-Id", "req-" + i));
				mvc.perform(asyncDispatch(result))
					.andExpect(status().isNotFound())
					.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
					.andExpect(jsonPath("$.detail").value("no order 'missing-" + i + "'"))
					.andExpect(jsonPath("$.mdcRequestId").value("req-" + i));
			}
			GarbageCollection.settle();
			assertThat(context.getBean(Reports.class).reports).as("unobserved-failure reports").isEmpty();
		});
	}

	@Test
	void droppedFailure_isReported_soTheObservedCheckCanFail() {
		runner(true).run((context) -> {
			context.getBean(WebFixture.OrderService.class).find("missing-dropped");
			GarbageCollection.awaitReports(context.getBean(Reports.class).reports, 1);
		});
	}

	@ParameterizedTest(name = "reactor present: {0}")
	@ValueSource(booleans = { true, false })
	void loopFuture_responseStatusException_hasItsStatus(boolean reactorPresent) {
		runner(reactorPresent).run((context) -> {
			MockMvc mvc = mvc(context);
			MvcResult result = started(mvc, get("/orders/teapot"));
			mvc.perform(asyncDispatch(result)).andExpect(status().isIAmATeapot());
		});
	}

	@ParameterizedTest(name = "reactor present: {0}")
	@ValueSource(booleans = { true, false })
	void loopFuture_ofResponseEntity_setsStatusHeadersAndBody(boolean reactorPresent) {
		runner(reactorPresent).run((context) -> {
			MockMvc mvc = mvc(context);
			MvcResult result = started(mvc, get("/created/5"));
			mvc.perform(asyncDispatch(result))
				.andExpect(status().isCreated())
				.andExpect(header().string("X-Order", "5"))
				.andExpect(content().string("created 5"));
		});
	}

	@ParameterizedTest(name = "reactor present: {0}")
	@ValueSource(booleans = { true, false })
	void loopFuture_ofNull_isAnEmptyOk(boolean reactorPresent) {
		runner(reactorPresent).run((context) -> {
			MockMvc mvc = mvc(context);
			MvcResult result = started(mvc, get("/nothing"));
			mvc.perform(asyncDispatch(result)).andExpect(status().isOk()).andExpect(content().string(""));
		});
	}

	@Test
	void nullInsteadOfLoopFuture_isAnErrorNamingTheMethod() {
		runner(true).run((context) -> {
			MockMvc mvc = mvc(context);
			assertThatThrownBy(() -> mvc.perform(get("/null"))).rootCause()
				.isInstanceOf(IllegalStateException.class)
				.hasMessage("WebFixture.OrderController#returnsNull returned null instead of a LoopFuture; return "
						+ "LoopFuture.completed(null) for a response without a body");
		});
	}

	@ParameterizedTest(name = "reactor present: {0}")
	@ValueSource(booleans = { true, false })
	void loopFuture_asyncTimeout_cancelsTheFutureWithAMessage(boolean reactorPresent) {
		runner(reactorPresent).run((context) -> {
			MockMvc mvc = mvc(context);
			MvcResult result = mvc.perform(get("/slow")).andExpect(request().asyncStarted()).andReturn();
			LoopFuture<String> future = WebFixture.onlyPending(context.getBean(Pending.class));
			MockAsyncContext async = (MockAsyncContext) result.getRequest().getAsyncContext();
			for (AsyncListener listener : async.getListeners()) {
				listener.onTimeout(new AsyncEvent(async));
			}
			mvc.perform(asyncDispatch(result)).andExpect(status().isServiceUnavailable());
			assertThat(WebFixture.cancellationMessage(context.getBean(EventLoop.class), future))
				.isEqualTo("The async request timeout expired for 'GET /slow' before WebFixture.OrderController#slow completed; "
						+ "raise spring.mvc.async.request-timeout if it needs longer");
		});
	}

	@ParameterizedTest(name = "reactor present: {0}")
	@ValueSource(booleans = { true, false })
	void loopFuture_asyncError_cancelsTheFuture(boolean reactorPresent) {
		runner(reactorPresent).run((context) -> {
			MockMvc mvc = mvc(context);
			MvcResult result = mvc.perform(get("/slow")).andExpect(request().asyncStarted()).andReturn();
			LoopFuture<String> future = WebFixture.onlyPending(context.getBean(Pending.class));
			MockAsyncContext async = (MockAsyncContext) result.getRequest().getAsyncContext();
			for (AsyncListener listener : async.getListeners()) {
				listener.onError(new AsyncEvent(async, new java.io.IOException("Broken pipe")));
			}
			assertThat(WebFixture.cancellationMessage(context.getBean(EventLoop.class), future))
				.startsWith("The async request 'GET /slow' failed before WebFixture.OrderController#slow completed "
						+ "(the client may have gone away): ")
				.contains("disconnected client");
		});
	}

	@ParameterizedTest(name = "reactor present: {0}")
	@ValueSource(booleans = { true, false })
	void loopFuture_responseIsWrittenWithTheRequestsMdc(boolean reactorPresent) {
		runner(reactorPresent).run((context) -> {
			MockMvc mvc = mvc(context);
			MvcResult result = started(mvc, get("/orders/1").header("X-Request-Id", "req-mdc"));
			mvc.perform(asyncDispatch(result))
				.andExpect(status().isOk())
				.andExpect(header().string(WebFixture.MDC_HEADER, "req-mdc"));
			assertThat(org.slf4j.MDC.get(WebFixture.REQUEST_ID)).as("MDC left behind on the dispatch thread").isNull();
			MvcResult plain = started(mvc, get("/orders/2"));
			mvc.perform(asyncDispatch(plain)).andExpect(header().string(WebFixture.MDC_HEADER, "none"));
		});
	}

	@ParameterizedTest(name = "reactor present: {0}")
	@ValueSource(booleans = { true, false })
	void eddyCompletableFuture_keepsWorking_valueFailureAndTimeout(boolean reactorPresent) {
		runner(reactorPresent).run((context) -> {
			MockMvc mvc = mvc(context);
			mvc.perform(asyncDispatch(started(mvc, get("/completable/3").header("X-Request-Id", "cf"))))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.id").value("3"))
				.andExpect(header().string(WebFixture.MDC_HEADER, "cf"));
			mvc.perform(asyncDispatch(started(mvc, get("/completable/missing-cf"))))
				.andExpect(status().isNotFound())
				.andExpect(jsonPath("$.detail").value("no order 'missing-cf'"));
			GarbageCollection.settle();
			assertThat(context.getBean(Reports.class).reports).as("unobserved-failure reports").isEmpty();
		});
	}

	@ParameterizedTest(name = "reactor present: {0}")
	@ValueSource(booleans = { true, false })
	void eddyCompletableFuture_asyncTimeout_cancelsItWithAMessage(boolean reactorPresent) {
		runner(reactorPresent).run((context) -> {
			MockMvc mvc = mvc(context);
			MvcResult result = mvc.perform(get("/slow-completable")).andExpect(request().asyncStarted()).andReturn();
			Pending pending = context.getBean(Pending.class);
			assertThat(pending.completables).hasSize(1);
			java.util.concurrent.CompletableFuture<String> future = pending.completables.get(0);
			assertThat(future.getClass().getSimpleName()).isEqualTo("EddyCompletableFuture");
			MockAsyncContext async = (MockAsyncContext) result.getRequest().getAsyncContext();
			for (AsyncListener listener : async.getListeners()) {
				listener.onTimeout(new AsyncEvent(async));
			}
			mvc.perform(asyncDispatch(result)).andExpect(status().isServiceUnavailable());
			assertThat(future.isCancelled()).isTrue();
			Throwable cancellation = future.handle((value, failure) -> failure).join();
			assertThat(cancellation).isInstanceOf(java.util.concurrent.CancellationException.class)
				.hasMessage("The async request timeout expired for 'GET /slow-completable' before "
						+ "WebFixture.OrderController#slowCompletable completed; raise spring.mvc.async.request-timeout if it needs longer");
		});
	}

}
