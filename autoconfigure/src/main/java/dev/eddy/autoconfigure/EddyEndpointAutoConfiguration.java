package dev.eddy.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.eddy.actuate.EddyEndpoint;
import dev.eddy.actuate.RecentUnobservedFailures;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The read-only {@code eddy} actuator endpoint ({@code /actuator/eddy},
 * {@code /actuator/eddy/{executor}}), when available (enabled and exposed).
 */
@AutoConfiguration(after = EddyExecutorsAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnAvailableEndpoint(EddyEndpoint.class)
@EnableConfigurationProperties(EddyEndpointAutoConfiguration.EddyEndpointProperties.class)
public final class EddyEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RecentUnobservedFailures eddyRecentUnobservedFailures(EddyEndpointProperties properties) {
		return new RecentUnobservedFailures(properties.getRecentFailures());
	}

	@Bean
	@ConditionalOnMissingBean
	EddyEndpoint eddyEndpoint(EventLoop loop, ObjectProvider<NamedExecutors> executors, RecentUnobservedFailures failures,
			EddyEndpointProperties properties) {
		return new EddyEndpoint(loop, executors.getIfAvailable(), failures, properties.getShowValues(), properties.getRoles());
	}

	/** Settings of the {@code eddy} endpoint. */
	@ConfigurationProperties("management.endpoint.eddy")
	public static class EddyEndpointProperties {

		/**
		 * When to show the messages of unobserved failures, which can carry secrets: never,
		 * always, or when-authorized (with the roles below).
		 */
		private Show showValues = Show.NEVER;

		/**
		 * Roles that may see messages when show-values is when-authorized; empty means any
		 * authenticated user.
		 */
		private Set<String> roles = new LinkedHashSet<>();

		/**
		 * Number of recent unobserved failures the endpoint keeps and shows.
		 */
		private int recentFailures = 20;

		public Show getShowValues() {
			return this.showValues;
		}

		public void setShowValues(Show showValues) {
			this.showValues = showValues;
		}

		public Set<String> getRoles() {
			return this.roles;
		}

		public void setRoles(Set<String> roles) {
			this.roles = roles;
		}

		public int getRecentFailures() {
			return this.recentFailures;
		}

		public void setRecentFailures(int recentFailures) {
			if (recentFailures <= 0) {
				throw new IllegalArgumentException("'management.endpoint.eddy.recent-failures' must be positive, was " + recentFailures);
			}
			this.recentFailures = recentFailures;
		}

	}

}
