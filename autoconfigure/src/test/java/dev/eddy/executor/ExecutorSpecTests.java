package dev.eddy.executor;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link ExecutorSpec}: the defaults of DESIGN §6 "Executors" and every validation message,
 * exactly, with the property key and the bad value.
 */
class ExecutorSpecTests {

	@Test
	void defaults_matchTheDesign() {
		ExecutorSpec spec = ExecutorSpec.defaults("io");
		assertThat(spec).isEqualTo(new ExecutorSpec("io", ExecutorKind.PLATFORM, 8, 8, 1000, Duration.ofSeconds(60),
				RejectionPolicy.ABORT, "eddy-io-", Duration.ofSeconds(30)));
		assertThat(spec.describeLimits()).isEqualTo("max-size=8, queue-capacity=1000");
		assertThat(spec.key("queue-capacity")).isEqualTo("eddy.executors.io.queue-capacity");
	}

	@Test
	void builder_withAllValues_keepsThem() {
		ExecutorSpec spec = ExecutorSpec.builder("io")
			.kind(ExecutorKind.PLATFORM)
			.coreSize(2)
			.maxSize(4)
			.queueCapacity(50)
			.keepAlive(Duration.ofSeconds(5))
			.rejectionPolicy(RejectionPolicy.CALLER_RUNS)
			.threadNamePrefix("io-")
			.awaitTermination(Duration.ZERO)
			.build();
		assertThat(spec).isEqualTo(new ExecutorSpec("io", ExecutorKind.PLATFORM, 2, 4, 50, Duration.ofSeconds(5),
				RejectionPolicy.CALLER_RUNS, "io-", Duration.ZERO));
	}

	@Test
	void builder_onlyMaxSizeBelowDefault_lowersCoreSize() {
		ExecutorSpec spec = ExecutorSpec.builder("io").maxSize(4).build();
		assertThat(spec.coreSize()).isEqualTo(4);
		assertThat(spec.maxSize()).isEqualTo(4);
	}

	@Test
	void builder_onlyCoreSizeAboveDefault_raisesMaxSize() {
		ExecutorSpec spec = ExecutorSpec.builder("io").coreSize(16).build();
		assertThat(spec.coreSize()).isEqualTo(16);
		assertThat(spec.maxSize()).isEqualTo(16);
	}

	@Test
	void builder_invalidName_isRefused() {
		assertThatExceptionOfType(InvalidExecutorSpecException.class).isThrownBy(() -> ExecutorSpec.builder("a b"))
			.withMessage("Executor name 'a b' must be non-empty and made of letters, digits, '-' and '_' (it becomes a bean name)")
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("eddy.executors.a b"));
	}

	@Test
	void builder_maxSizeZero_isRefused() {
		assertInvalid(ExecutorSpec.builder("io").maxSize(0), "eddy.executors.io.max-size", 0,
				"'eddy.executors.io.max-size' must be positive, was 0");
	}

	@Test
	void builder_negativeCoreSize_isRefused() {
		assertInvalid(ExecutorSpec.builder("io").coreSize(-1).maxSize(4), "eddy.executors.io.core-size", -1,
				"'eddy.executors.io.core-size' must not be negative, was -1");
	}

	@Test
	void builder_coreSizeAboveMaxSize_isRefused() {
		assertInvalid(ExecutorSpec.builder("io").coreSize(9).maxSize(4), "eddy.executors.io.core-size", 9,
				"'eddy.executors.io.core-size' (9) must not exceed 'eddy.executors.io.max-size' (4)");
	}

	@Test
	void builder_queueCapacityZero_isRefused() {
		assertInvalid(ExecutorSpec.builder("io").queueCapacity(0), "eddy.executors.io.queue-capacity", 0,
				"'eddy.executors.io.queue-capacity' must be positive, was 0");
	}

	@Test
	void builder_zeroKeepAlive_isRefused() {
		assertInvalid(ExecutorSpec.builder("io").keepAlive(Duration.ZERO), "eddy.executors.io.keep-alive", Duration.ZERO,
				"'eddy.executors.io.keep-alive' must be positive, was PT0S");
	}

	@Test
	void builder_negativeAwaitTermination_isRefused() {
		assertInvalid(ExecutorSpec.builder("io").awaitTermination(Duration.ofSeconds(-1)), "eddy.executors.io.await-termination",
				Duration.ofSeconds(-1), "'eddy.executors.io.await-termination' must not be negative, was PT-1S");
	}

	@Test
	void builder_blankThreadNamePrefix_isRefused() {
		assertInvalid(ExecutorSpec.builder("io").threadNamePrefix(" "), "eddy.executors.io.thread-name-prefix", " ",
				"'eddy.executors.io.thread-name-prefix' must not be blank, was ' '");
	}

	@Test
	void builder_virtualWithCoreSize_isRefused() {
		assertInvalid(ExecutorSpec.builder("io").kind(ExecutorKind.VIRTUAL).coreSize(2), "eddy.executors.io.core-size", 2,
				"'eddy.executors.io.core-size' does not apply to kind=virtual; remove it (a virtual executor takes max-size,"
						+ " queue-capacity, thread-name-prefix and await-termination)");
	}

	@Test
	void builder_virtualWithKeepAlive_isRefused() {
		assertInvalid(ExecutorSpec.builder("io").kind(ExecutorKind.VIRTUAL).keepAlive(Duration.ofSeconds(1)),
				"eddy.executors.io.keep-alive", Duration.ofSeconds(1),
				"'eddy.executors.io.keep-alive' does not apply to kind=virtual; remove it (a virtual executor takes max-size,"
						+ " queue-capacity, thread-name-prefix and await-termination)");
	}

	@Test
	void builder_virtualWithRejectionPolicy_isRefused() {
		assertInvalid(ExecutorSpec.builder("io").kind(ExecutorKind.VIRTUAL).rejectionPolicy(RejectionPolicy.ABORT),
				"eddy.executors.io.rejection-policy", RejectionPolicy.ABORT,
				"'eddy.executors.io.rejection-policy' does not apply to kind=virtual; remove it (a virtual executor takes"
						+ " max-size, queue-capacity, thread-name-prefix and await-termination)");
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void builder_virtualBeforeJava21_isRefused() {
		assertInvalid(ExecutorSpec.builder("io").kind(ExecutorKind.VIRTUAL), "eddy.executors.io.kind", "virtual",
				"'eddy.executors.io.kind' is virtual, which needs Java 21 or later, but this JVM is " + Runtime.version()
						+ "; run on Java 21+ or set 'eddy.executors.io.kind=platform'");
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void builder_virtualOnJava21_usesMaxSizeAsCoreSize() {
		ExecutorSpec spec = ExecutorSpec.builder("io").kind(ExecutorKind.VIRTUAL).maxSize(3).build();
		assertThat(spec.kind()).isEqualTo(ExecutorKind.VIRTUAL);
		assertThat(spec.coreSize()).isEqualTo(3);
		assertThat(spec.maxSize()).isEqualTo(3);
	}

	private static void assertInvalid(ExecutorSpec.Builder builder, String property, Object value, String message) {
		assertThatExceptionOfType(InvalidExecutorSpecException.class).isThrownBy(builder::build)
			.withMessage(message)
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo(property);
				assertThat(ex.value()).isEqualTo(value);
			});
	}

}
