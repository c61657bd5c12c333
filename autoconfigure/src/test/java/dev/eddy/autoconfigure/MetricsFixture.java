package dev.eddy.autoconfigure;

import java.util.function.BiConsumer;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * A context with Eddy, Spring Boot's metrics and a simple registry, as an application gets it.
 */
final class MetricsFixture {

	static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
			AopAutoConfiguration.class, MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
			SimpleMetricsExportAutoConfiguration.class, EddyLoopAutoConfiguration.class, EddyExecutorsAutoConfiguration.class,
			EddyRunOnExecutorAutoConfiguration.class, EddyMetricsAutoConfiguration.class, EddyHealthAutoConfiguration.class);

	private MetricsFixture() {
	}

	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(CONFIGURATIONS);
	}

	/**
	 * Runs a check against the registry of a context with debug mode on and an extra executor.
	 * @param check the check
	 */
	static void run(BiConsumer<ApplicationContext, MeterRegistry> check) {
		runner().withPropertyValues("eddy.loop.debug=true", "eddy.executors.io.max-size=2").run((context) -> {
			if (context.getStartupFailure() != null) {
				throw new AssertionError("context failed", context.getStartupFailure());
			}
			check.accept(context, context.getBean(MeterRegistry.class));
		});
	}

}
