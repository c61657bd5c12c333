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
 * The {@code eddy} health component: DOWN when the default loop is closed or dead; blocked past
 * {@code eddy.loop.blocked-threshold} only with {@code eddy.loop.blocked-is-down=true}. Disable with
 * {@code management.health.eddy.enabled=false}.
 */
@AutoConfiguration(after = EddyExecutorsAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("eddy")
public final class EddyHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "eddyHealthIndicator")
	EddyHealthIndicator eddyHealthIndicator(EventLoop loop, ObjectProvider<NamedExecutors> executors, EddyProperties properties) {
		return new EddyHealthIndicator(loop, executors.getIfAvailable(), properties.getLoop().isBlockedIsDown());
	}

}
