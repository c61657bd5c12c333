package dev.eddy.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.eddy.aop.RunOnExecutorConfigurationException;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.executor.ExecutorKind;
import dev.eddy.executor.NamedExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boot's threading settings and Eddy's shared executor defaults: {@code spring.threads.virtual.enabled},
 * {@code eddy.executor-defaults.*} and {@code @RunOnExecutor("${...}")}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EddyThreadingSettingsTests {

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void whenVirtualThreadsAreEnabledOnJava21ShouldMakeExecutorsWithoutKindVirtual() {
		EddyRunners.runner()
			.withUserConfiguration(EddyPropertiesBindingTests.VirtualUser.class)
			.withPropertyValues("spring.threads.virtual.enabled=true", "eddy.executors.io.max-size=2",
					"eddy.executors.cpu.kind=platform")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("io", NamedExecutor.class).spec().kind()).isEqualTo(ExecutorKind.VIRTUAL);
				assertThat(context.getBean("executor", NamedExecutor.class).spec().kind()).isEqualTo(ExecutorKind.VIRTUAL);
				assertThat(context.getBean("cpu", NamedExecutor.class).spec().kind()).as("explicit kind wins")
					.isEqualTo(ExecutorKind.PLATFORM);
				String thread = context.getBean(EddyPropertiesBindingTests.VirtualService.class).where().get(5, TimeUnit.SECONDS);
				assertThat(thread).startsWith("true eddy-io-");
			});
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void whenVirtualThreadsAreEnabledBeforeJava21ShouldKeepPlatformThreadsAsBootDoes() {
		EddyRunners.runner().withPropertyValues("spring.threads.virtual.enabled=true", "eddy.executors.io.max-size=2")
			.run((context) -> assertThat(context.getBean("io", NamedExecutor.class).spec().kind()).isEqualTo(ExecutorKind.PLATFORM));
	}

	@Test
	void whenExecutorDefaultsAreSetShouldApplyThemWhereAnExecutorSetsNothing() {
		EddyRunners.runner()
			.withPropertyValues("eddy.executor-defaults.max-size=3", "eddy.executor-defaults.queue-capacity=7",
					"eddy.executor-defaults.await-termination=5s", "eddy.executors.io.max-size=5", "eddy.executors.cpu.core-size=1")
			.run((context) -> {
				NamedExecutor io = context.getBean("io", NamedExecutor.class);
				assertThat(io.spec().maxSize()).as("own value wins").isEqualTo(5);
				assertThat(io.spec().queueCapacity()).isEqualTo(7);
				assertThat(io.spec().awaitTermination()).isEqualTo(Duration.ofSeconds(5));
				NamedExecutor cpu = context.getBean("cpu", NamedExecutor.class);
				assertThat(cpu.spec().maxSize()).isEqualTo(3);
				assertThat(cpu.spec().coreSize()).isEqualTo(1);
				NamedExecutor executor = context.getBean("executor", NamedExecutor.class);
				assertThat(executor.spec().maxSize()).as("the default executor too").isEqualTo(3);
				assertThat(executor.spec().coreSize()).as("core-size follows a max-size below 8").isEqualTo(3);
				assertThat(executor.spec().threadNamePrefix()).isEqualTo("eddy-executor-");
			});
	}

	@Test
	void whenAnExecutorDefaultIsInvalidShouldFailNamingTheDefaultsKey() {
		EddyRunners.runner().withPropertyValues("eddy.executor-defaults.max-size=0", "eddy.executors.io.core-size=1")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable root = context.getStartupFailure();
				while (root.getCause() != null) {
					root = root.getCause();
				}
				assertThat(root).isInstanceOf(BindValidationException.class);
				assertThat(((BindValidationException) root).getValidationErrors().getAllErrors())
					.extracting((error) -> error.getDefaultMessage())
					.containsExactly("'eddy.executor-defaults.max-size' must be positive, was 0");
			});
	}

	@Test
	void whenTheExecutorNameIsAPlaceholderShouldResolveIt() {
		runner().withUserConfiguration(Placeholder.Config.class)
			.withPropertyValues("eddy.executors.io.thread-name-prefix=placeholder-io-", "orders.executor=io")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Placeholder.class).where().get(5, TimeUnit.SECONDS)).startsWith("placeholder-io-");
				assertThat(context.getBean(Placeholder.class).withDefault().get(5, TimeUnit.SECONDS)).startsWith("eddy-executor-");
			});
	}

	@Test
	void whenAPlaceholderCannotBeResolvedShouldFailStartupNamingTheMethodAndThePlaceholder() {
		runner().withUserConfiguration(Placeholder.Config.class).withPropertyValues("eddy.executors.io.max-size=1").run((context) -> {
			assertThat(context).hasFailed();
			Throwable root = context.getStartupFailure();
			while (!(root instanceof RunOnExecutorConfigurationException) && root.getCause() != null) {
				root = root.getCause();
			}
			assertThat(root).isInstanceOf(RunOnExecutorConfigurationException.class);
			FailureAnalysis analysis = new RunOnExecutorFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo("EddyThreadingSettingsTests.Placeholder#where names its executor"
					+ " '${orders.executor}', a placeholder that cannot be resolved (Could not resolve placeholder 'orders.executor'"
					+ " in value \"${orders.executor}\").");
			assertThat(analysis.getAction()).isEqualTo("Set the property the placeholder names, or give it a default, for example"
					+ " @RunOnExecutor(\"${my.executor:executor}\").");
		});
	}

	private static org.springframework.boot.test.context.runner.ApplicationContextRunner runner() {
		return EddyRunners.runner().withConfiguration(AutoConfigurations.of(PropertyPlaceholderAutoConfiguration.class));
	}

	public static class Placeholder {

		@RunOnExecutor("${orders.executor}")
		public CompletableFuture<String> where() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor("${orders.fallback:executor}")
		public CompletableFuture<String> withDefault() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@Configuration(proxyBeanMethods = false)
		static class Config {

			@Bean
			Placeholder placeholder() {
				return new Placeholder();
			}

		}

	}

}
