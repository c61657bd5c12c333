package dev.eddy.autoconfigure;

import java.time.Duration;

import dev.eddy.executor.ExecutorSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Caps the executors' {@code await-termination} and the loop's {@code drain-timeout} at
 * {@code spring.lifecycle.timeout-per-shutdown-phase} (Boot's default 30 s), so that Eddy's
 * shutdown phase, which waits for them in parallel, ends within it (plus the 1 s an executor
 * gives interrupted tasks after its wait). Defaults are unchanged: 30 s fits 30 s.
 */
final class ShutdownBudget {

	static final String TIMEOUT_KEY = "spring.lifecycle.timeout-per-shutdown-phase";

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(ShutdownBudget.class);

	private ShutdownBudget() {
	}

	/**
	 * @param environment the environment
	 * @return the longest wait that fits the shutdown phase
	 */
	static Duration budget(Environment environment) {
		Duration timeout = Binder.get(environment).bind(TIMEOUT_KEY, Duration.class).orElse(DEFAULT_TIMEOUT);
		return (timeout.isNegative() || timeout.isZero()) ? Duration.ofMillis(1) : timeout;
	}

	static Duration cap(Duration wait, String key, Environment environment) {
		Duration budget = budget(environment);
		if (wait.compareTo(budget) <= 0) {
			return wait;
		}
		logger.info("'{}' ({}) is capped to {}, so that shutdown fits '{}'; raise that to wait longer", key, wait, budget,
				TIMEOUT_KEY);
		return budget;
	}

	static ExecutorSpec cap(ExecutorSpec spec, Environment environment) {
		Duration capped = cap(spec.awaitTermination(), spec.key("await-termination"), environment);
		if (capped.equals(spec.awaitTermination())) {
			return spec;
		}
		return ExecutorSpec.builder(spec.name())
			.kind(spec.kind())
			.coreSize(spec.coreSize())
			.maxSize(spec.maxSize())
			.queueCapacity(spec.queueCapacity())
			.keepAlive(spec.keepAlive())
			.rejectionPolicy(spec.rejectionPolicy())
			.threadNamePrefix(spec.threadNamePrefix())
			.awaitTermination(capped)
			.build();
	}

}
