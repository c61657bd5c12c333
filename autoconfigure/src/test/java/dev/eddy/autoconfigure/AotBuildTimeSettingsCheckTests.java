package dev.eddy.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link AotBuildTimeSettingsCheck} reports when the running configuration contradicts the
 * one the generated code was built with. The "built with" side is simulated by the beans a
 * context has (as AOT's generated code would register them); the warning itself is only logged
 * under AOT, which {@code .ci/aot-smoke} runs for real.
 */
class AotBuildTimeSettingsCheckTests {

	private final ApplicationContextRunner runner = EddyRunners.runner().withPropertyValues("eddy.executors.io.max-size=2");

	@Test
	void whenRunTimeMatchesTheBeansShouldReportNothing() {
		this.runner.run((context) -> assertThat(check(context, context.getEnvironment()).ignoredSettings()).isEmpty());
	}

	@Test
	void whenAnExecutorNameIsAddedAtRunTimeShouldNameItsKey() {
		this.runner.run((context) -> {
			Environment later = environmentWith(context, "eddy.executors.cpu.max-size=2");
			assertThat(check(context, later).ignoredSettings()).singleElement()
				.asString()
				.startsWith("eddy.executors.cpu.* (executor 'cpu' was not configured at build time");
		});
	}

	@Test
	void whenRunOnExecutorIsSwitchedOffAtRunTimeShouldNameTheKey() {
		this.runner.run((context) -> assertThat(
				check(context, environmentWith(context, "eddy.run-on-executor.enabled=false")).ignoredSettings())
			.containsExactly("eddy.run-on-executor.enabled=false (built with @RunOnExecutor on)"));
	}

	@Test
	void whenRunOnExecutorIsSwitchedOnAtRunTimeShouldNameTheKey() {
		this.runner.withPropertyValues("eddy.run-on-executor.enabled=false")
			.run((context) -> assertThat(
					check(context, environmentWith(context, "eddy.run-on-executor.enabled=true")).ignoredSettings())
				.containsExactly("eddy.run-on-executor.enabled=true (built with @RunOnExecutor off)"));
	}

	@Test
	void whenTheWebIntegrationIsSwitchedOffAtRunTimeShouldNameTheKey() {
		this.runner.withBean(AotBuildTimeSettingsCheck.WEB_ON_BEANS.get(0), Object.class, Object::new)
			.run((context) -> assertThat(check(context, environmentWith(context, "eddy.web.enabled=false")).ignoredSettings())
				.containsExactly("eddy.web.enabled=false (built with the web integration on)"));
	}

	@Test
	void whenTheApplicationDeclaresItsOwnAspectShouldReportNothing() {
		this.runner.withUserConfiguration(OwnAspect.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(EddyRunOnExecutorAutoConfiguration.ASPECT_BEAN);
				assertThat(check(context, context.getEnvironment()).ignoredSettings()).isEmpty();
			});
	}

	private static AotBuildTimeSettingsCheck check(
			org.springframework.boot.test.context.assertj.AssertableApplicationContext context, Environment environment) {
		return new AotBuildTimeSettingsCheck(context, environment);
	}

	private static Environment environmentWith(
			org.springframework.boot.test.context.assertj.AssertableApplicationContext context, String... properties) {
		org.springframework.mock.env.MockEnvironment environment = new org.springframework.mock.env.MockEnvironment();
		environment.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("context",
				java.util.Map.of("eddy.executors.io.max-size", "2")));
		for (String property : properties) {
			String[] pair = property.split("=", 2);
			environment.setProperty(pair[0], pair[1]);
		}
		return environment;
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class OwnAspect {

		@org.springframework.context.annotation.Bean
		static dev.eddy.aop.RunOnExecutorAspect myAspect(
				org.springframework.beans.factory.ObjectProvider<dev.eddy.aop.RunOnExecutorMethods> methods,
				org.springframework.beans.factory.ObjectProvider<dev.eddy.loop.EventLoop> loop,
				org.springframework.beans.factory.ObjectProvider<dev.eddy.unobserved.UnobservedFailureDetector> detector) {
			return new dev.eddy.aop.RunOnExecutorAspect(methods::getObject,
					() -> new dev.eddy.internal.Dispatcher(loop.getObject(), detector.getObject(), null));
		}

	}

}
