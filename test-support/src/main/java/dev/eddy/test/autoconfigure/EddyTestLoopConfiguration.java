package dev.eddy.test.autoconfigure;

import dev.eddy.autoconfigure.ContextPropagatingDecorator;
import dev.eddy.autoconfigure.EddyLoopAutoConfiguration;
import dev.eddy.loop.EventLoop;
import dev.eddy.test.TestLoop;
import dev.eddy.unobserved.UnobservedFailureDetector;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@code eddyLoop} of {@link EddyTestLoop}: a {@link TestLoop} with the loop name of
 * {@code eddy.loop.name} (default {@code eddy-loop}), the context's detector and context
 * propagation. Eddy's own loop bean backs off because a loop bean exists.
 */
@TestConfiguration(proxyBeanMethods = false)
class EddyTestLoopConfiguration {

	@Bean(name = EddyLoopAutoConfiguration.LOOP_BEAN, destroyMethod = "close")
	EventLoop eddyLoop(Environment environment, ObjectProvider<UnobservedFailureDetector> detector,
			ObjectProvider<ContextPropagatingDecorator> contextPropagation) {
		String name = environment.getProperty("eddy.loop.name", "eddy-loop");
		return TestLoop.create(EventLoop.builder(name)
			.unobservedFailureDetector(detector.getIfAvailable(UnobservedFailureDetector::global))
			.taskDecorator(contextPropagation.getIfAvailable()));
	}

}
