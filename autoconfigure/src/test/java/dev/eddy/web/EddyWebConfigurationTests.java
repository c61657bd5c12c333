package dev.eddy.web;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.eddy.autoconfigure.EddyExecutorsAutoConfiguration;
import dev.eddy.autoconfigure.EddyLoopAutoConfiguration;
import dev.eddy.autoconfigure.EddyRunOnExecutorAutoConfiguration;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Wiring of {@link EddyWebAutoConfiguration}: the switch, the startup check when it is off, the
 * failure analyzer, the handler's place, and the Jackson guard.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EddyWebConfigurationTests {

	private final WebApplicationContextRunner web = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, AopAutoConfiguration.class,
				EddyLoopAutoConfiguration.class, EddyExecutorsAutoConfiguration.class,
				EddyRunOnExecutorAutoConfiguration.class, JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
				WebMvcAutoConfiguration.class, EddyWebAutoConfiguration.class));

	@Test
	void whenEnabledShouldPutTheHandlerFirst() {
		this.web.withUserConfiguration(CompletableController.class).run((context) -> {
			assertThat(context.getBean(RequestMappingHandlerAdapter.class).getReturnValueHandlers().get(0))
				.isInstanceOf(LoopFutureReturnValueHandler.class);
			assertThat(context.getBean(EddyWebProperties.class).isEnabled()).isTrue();
		});
	}

	@Test
	void whenDisabledAndAHandlerReturnsLoopFutureShouldFailStartupNamingTheMethodAndTheSwitch() {
		this.web.withUserConfiguration(LoopController.class).withPropertyValues("eddy.web.enabled=false").run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).isInstanceOf(EddyWebDisabledException.class);
			FailureAnalysis analysis = new EddyWebFailureAnalyzer().analyze(failure);
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).isEqualTo("EddyWebConfigurationTests.LoopController#first, "
					+ "EddyWebConfigurationTests.LoopController#second are handler methods declared to return LoopFuture, "
					+ "but Eddy's web integration is switched off (eddy.web.enabled=false), so nothing would turn the future "
					+ "into a response.");
			assertThat(analysis.getAction()).isEqualTo("Remove eddy.web.enabled=false (it defaults to true), or declare the "
					+ "method to return CompletableFuture<T> and return future.toCompletableFuture().");
		});
	}

	@Test
	void failureAnalyzer_isRegistered() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> {
				// analyzers of other modules that need constructor arguments: not what this test is about
			})))
			.hasAtLeastOneElementOfType(EddyWebFailureAnalyzer.class);
	}

	@Test
	void whenDisabledWithoutLoopFutureHandlersShouldStartWithoutTheHandler() {
		this.web.withUserConfiguration(CompletableController.class).withPropertyValues("eddy.web.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(RequestMappingHandlerAdapter.class).getReturnValueHandlers())
				.noneMatch(LoopFutureReturnValueHandler.class::isInstance);
		});
	}

	@Test
	void whenTheSwitchIsMisspelledShouldFailStartupNamingTheNearestKey() {
		this.web.withUserConfiguration(CompletableController.class).withPropertyValues("eddy.web.enabeld=false").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("'eddy.web.enabeld'")
				.hasMessageContaining("eddy.web.enabled");
		});
	}

	@Test
	void jackson_refusesToWriteALoopFuture_namingItAndTheFix() {
		this.web.withUserConfiguration(CompletableController.class).run((context) -> {
			JsonMapper mapper = context.getBean(JsonMapper.class);
			assertThatThrownBy(() -> mapper.writeValueAsString(LoopFuture.completed(42)))
				.isInstanceOf(InvalidDefinitionException.class)
				.hasMessageStartingWith("LoopFuture[completed](done: 42) cannot be written as JSON: a future is not a value. "
						+ "Return it from a controller method declared to return LoopFuture<T> (with eddy.web.enabled=true), "
						+ "or write its result once it is done");
			assertThatThrownBy(() -> mapper.writeValueAsString(java.util.Map.of("nested", LoopFuture.completed(1))))
				.isInstanceOf(InvalidDefinitionException.class)
				.hasMessageContaining("cannot be written as JSON");
		});
	}

	@Test
	void jackson_refusesToWriteEddysCompletableFuture_evenWhenTheWebIntegrationIsOff() {
		this.web.withUserConfiguration(CompletableController.class).withPropertyValues("eddy.web.enabled=false").run((context) -> {
			JsonMapper mapper = context.getBean(JsonMapper.class);
			CompletableFuture<String> future = context.getBean(Service.class).value();
			future.get(5, TimeUnit.SECONDS);
			assertThatThrownBy(() -> mapper.writeValueAsString(future)).isInstanceOf(InvalidDefinitionException.class)
				.hasMessageStartingWith(future + " cannot "
						+ "be written as JSON: a future is not a value. Return it from a controller method declared to return "
						+ "CompletableFuture<T>")
				.hasMessageContaining("[source=EddyWebConfigurationTests.Service#value]");
			assertThat(mapper.writeValueAsString(CompletableFuture.completedFuture("plain"))).as("other futures untouched")
				.doesNotContain("cannot be written");
		});
	}

	@Test
	void outsideAWebApplicationOnlyTheJacksonGuardIsThere() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EddyLoopAutoConfiguration.class, JacksonAutoConfiguration.class,
					EddyWebAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(EddyJacksonModule.class);
				assertThat(context).doesNotHaveBean(LoopFutureHandlerMethodsCheck.class);
				assertThat(context).doesNotHaveBean("eddyLoopFutureReturnValueHandlerInstaller");
			});
	}

	public static class Service {

		@RunOnExecutor
		public CompletableFuture<String> value() {
			return CompletableFuture.completedFuture("v");
		}

	}

	@RestController
	static class LoopController {

		@GetMapping("/b")
		LoopFuture<String> second() {
			return LoopFuture.completed("b");
		}

		@GetMapping("/a")
		LoopFuture<String> first() {
			return LoopFuture.completed("a");
		}

		@GetMapping("/c")
		CompletableFuture<String> third() {
			return CompletableFuture.completedFuture("c");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CompletableController {

		@Bean
		Service service() {
			return new Service();
		}

		@RestController
		static class Controller {

			@GetMapping("/c")
			CompletableFuture<String> third() {
				return CompletableFuture.completedFuture("c");
			}

		}

	}

}
