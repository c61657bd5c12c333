package dev.eddy.autoconfigure;

import dev.eddy.concurrent.Futures;
import dev.eddy.loop.EventLoop;
import dev.eddy.unobserved.UnobservedFailureDetector;
import dev.eddy.unobserved.UnobservedFailureListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The default {@link EventLoop} (bean {@value #LOOP_BEAN}), the unobserved-failure detector and
 * the {@link Futures} functions, each replaceable by a bean of the same type. The loop is not an
 * {@code Executor}, so Boot's {@code applicationTaskExecutor} stays the application's executor.
 */
@AutoConfiguration(after = TaskExecutionAutoConfiguration.class)
@EnableConfigurationProperties(EddyProperties.class)
public final class EddyLoopAutoConfiguration {

	/** Bean name of the default loop. */
	public static final String LOOP_BEAN = "eddyLoop";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	UnobservedFailureDetector eddyUnobservedFailureDetector(EddyProperties properties,
			ObjectProvider<UnobservedFailureListener> listeners) {
		UnobservedFailureDetector.Builder builder = UnobservedFailureDetector.builder()
			.level(properties.getUnobserved().getLevel())
			.maxTracked(properties.getUnobserved().getMaxTracked());
		listeners.orderedStream().forEach(builder::listener);
		return builder.build();
	}

	@Bean(name = LOOP_BEAN, destroyMethod = "close")
	@ConditionalOnMissingBean(EventLoop.class)
	EventLoop eddyLoop(EddyProperties properties, UnobservedFailureDetector detector,
			ObjectProvider<ContextPropagatingDecorator> contextPropagation, Environment environment) {
		EddyProperties.Loop loop = properties.getLoop();
		return EventLoop.builder(loop.getName())
			.debug(loop.isDebug())
			.slowCallbackThreshold(loop.getSlowCallbackThreshold())
			.drainTimeout(ShutdownBudget.cap(loop.getDrainTimeout(), "eddy.loop.drain-timeout", environment))
			.blockedThreshold(loop.getBlockedThreshold())
			.taskDecorator(contextPropagation.getIfAvailable())
			.unobservedFailureDetector(detector)
			.queueCapacity(loop.getQueueCapacity())
			.start();
	}

	@Bean
	static UnknownEddyProperties eddyUnknownPropertiesCheck() {
		return new UnknownEddyProperties();
	}

	@Bean
	@ConditionalOnMissingBean
	Futures eddyFutures(EventLoop loop) {
		return Futures.of(loop);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.context.ContextSnapshotFactory")
	static class ContextPropagationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ContextPropagatingDecorator eddyContextPropagatingDecorator() {
			return new ContextPropagatingDecorator();
		}

	}

}
