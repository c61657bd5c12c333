package dev.eddy.executor;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edges of {@link ExecutorSpec}'s ranges that {@link ExecutorSpecTests} does not name: the
 * smallest settings it accepts.
 */
class ExecutorSpecBoundsTests {

	@Test
	@DisplayName("core-size=0 is accepted (no thread kept alive), as are max-size=1 and queue-capacity=1")
	void smallestSettings_areAccepted() {
		ExecutorSpec spec = ExecutorSpec.builder("edge").coreSize(0).maxSize(1).queueCapacity(1).build();
		assertThat(spec.coreSize()).isZero();
		assertThat(spec.maxSize()).isEqualTo(1);
		assertThat(spec.queueCapacity()).isEqualTo(1);
		assertThat(spec.describeLimits()).isEqualTo("max-size=1, queue-capacity=1");
	}

}
