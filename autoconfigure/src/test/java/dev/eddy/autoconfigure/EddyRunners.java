package dev.eddy.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The context runner of the wiring tests: Boot's task-execution and AOP auto-configuration plus
 * Eddy's three.
 */
final class EddyRunners {

	private EddyRunners() {
	}

	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
				AopAutoConfiguration.class, EddyLoopAutoConfiguration.class, EddyExecutorsAutoConfiguration.class,
				EddyRunOnExecutorAutoConfiguration.class));
	}

}
