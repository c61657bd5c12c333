package dev.eddy.autoconfigure;

import dev.eddy.actuate.EddyHealthIndicator;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code eddy} health component: DOWN while the default loop is blocked past
 * {@code eddy.loop.blocked-threshold} or dead. Disable with
 * {@code management.health.eddy.enabled=false}.
 */
@AutoConfiguration(after = EddyExecutorsAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("eddy")
public final class EddyHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "eddyHealthIndicator")
	EddyHealthIndicator eddyHealthIndicator(EventLoop loop, ObjectProvider<NamedExecutors> executors) {
		return new EddyHealthIndicator(loop, executors.getIfAvailable());
	}

}
