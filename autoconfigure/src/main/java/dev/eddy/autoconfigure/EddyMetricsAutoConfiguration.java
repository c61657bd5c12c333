package dev.eddy.autoconfigure;

import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import dev.eddy.micrometer.EventLoopMetrics;
import dev.eddy.micrometer.NamedExecutorMetrics;
import dev.eddy.micrometer.UnobservedFailureMetrics;
import dev.eddy.unobserved.UnobservedFailureDetector;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of Eddy (see {@code docs/metrics.md}): unobserved failures, the default loop,
 * and the named executors. Each binder is a {@code MeterBinder} bean, bound by Spring Boot to
 * every registry; each is replaceable. Only where a {@code MeterRegistry} bean exists, like Boot's
 * own binders.
 */
@AutoConfiguration(after = EddyExecutorsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
public final class EddyMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	UnobservedFailureMetrics eddyUnobservedFailureMetrics(UnobservedFailureDetector detector) {
		return new UnobservedFailureMetrics(detector);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	EventLoopMetrics eddyLoopMetrics(EventLoop loop, EddyProperties properties) {
		return new EventLoopMetrics(loop, properties.getLoop().isDebug());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(NamedExecutors.class)
	NamedExecutorMetrics eddyExecutorMetrics(NamedExecutors executors) {
		return new NamedExecutorMetrics(executors);
	}

}
