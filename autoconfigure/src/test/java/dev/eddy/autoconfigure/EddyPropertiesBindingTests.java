package dev.eddy.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.RunOnExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invalid {@code eddy.executors.<name>.*} values fail startup while binding, naming the property
 * key and the bad value; one test per rule.
 */
@Timeout(60)
class EddyPropertiesBindingTests {

	@Test
	void whenQueueCapacityIsZeroShouldFailBinding() {
		assertValidationError("eddy.executors.io.queue-capacity=0", "executors[io].queueCapacity", 0,
				"'eddy.executors.io.queue-capacity' must be positive, was 0");
	}

	@Test
	void whenMaxSizeIsZeroShouldFailBinding() {
		assertValidationError("eddy.executors.io.max-size=0", "executors[io].maxSize", 0,
				"'eddy.executors.io.max-size' must be positive, was 0");
	}

	@Test
	void whenCoreSizeExceedsMaxSizeShouldFailBinding() {
		EddyRunners.runner().withPropertyValues("eddy.executors.io.core-size=5", "eddy.executors.io.max-size=2").run((context) -> {
			FieldError error = singleFieldError(context);
			assertThat(error.getField()).isEqualTo("executors[io].coreSize");
			assertThat(error.getRejectedValue()).isEqualTo(5);
			assertThat(error.getDefaultMessage())
				.isEqualTo("'eddy.executors.io.core-size' (5) must not exceed 'eddy.executors.io.max-size' (2)");
		});
	}

	@Test
	void whenAwaitTerminationIsNegativeShouldFailBinding() {
		assertValidationError("eddy.executors.io.await-termination=-1s", "executors[io].awaitTermination",
				java.time.Duration.ofSeconds(-1), "'eddy.executors.io.await-termination' must not be negative, was PT-1S");
	}

	@Test
	void whenThreadNamePrefixIsBlankShouldFailBinding() {
		// TestPropertyValues trims values, so " " arrives as "": blank either way
		assertValidationError("eddy.executors.io.thread-name-prefix=", "executors[io].threadNamePrefix", "",
				"'eddy.executors.io.thread-name-prefix' must not be blank, was ''");
	}

	@Test
	void whenRejectionPolicyIsUnknownShouldFailBinding() {
		assertConversionError("eddy.executors.io.rejection-policy", "discard");
	}

	@Test
	void whenKindIsUnknownShouldFailBinding() {
		assertConversionError("eddy.executors.io.kind", "green");
	}

	@Test
	void whenCoreSizeIsSetForAVirtualExecutorShouldFailBinding() {
		EddyRunners.runner().withPropertyValues("eddy.executors.io.kind=virtual", "eddy.executors.io.core-size=2").run((context) -> {
			FieldError error = singleFieldError(context);
			assertThat(error.getField()).isEqualTo("executors[io].coreSize");
			assertThat(error.getRejectedValue()).isEqualTo(2);
			assertThat(error.getDefaultMessage()).isEqualTo("'eddy.executors.io.core-size' does not apply to kind=virtual;"
					+ " remove it (a virtual executor takes max-size, queue-capacity, thread-name-prefix and await-termination)");
		});
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void whenKindIsVirtualBeforeJava21ShouldFailBindingNamingTheKeyAndJava21() {
		EddyRunners.runner().withPropertyValues("eddy.executors.io.kind=virtual").run((context) -> {
			FieldError error = singleFieldError(context);
			assertThat(error.getField()).isEqualTo("executors[io].kind");
			assertThat(error.getDefaultMessage()).contains("'eddy.executors.io.kind'")
				.contains("Java 21")
				.isEqualTo("'eddy.executors.io.kind' is virtual, which needs Java 21 or later, but this JVM is " + Runtime.version()
						+ "; run on Java 21+ or set 'eddy.executors.io.kind=platform'");
		});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void whenKindIsVirtualOnJava21ShouldRunRunOnExecutorBodiesOnVirtualThreads() {
		EddyRunners.runner()
			.withUserConfiguration(VirtualUser.class)
			.withPropertyValues("eddy.executors.io.kind=virtual", "eddy.executors.io.max-size=2")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String thread = context.getBean(VirtualService.class).where().get(5, TimeUnit.SECONDS);
				assertThat(thread).startsWith("true eddy-io-");
			});
	}

	@Test
	void whenLoopSlowCallbackThresholdIsZeroShouldFailBinding() {
		assertValidationError("eddy.loop.slow-callback-threshold=0s", "loop.slowCallbackThreshold", java.time.Duration.ZERO,
				"'eddy.loop.slow-callback-threshold' must be positive, was PT0S");
	}

	@Test
	void whenUnobservedMaxTrackedIsZeroShouldFailBinding() {
		assertValidationError("eddy.unobserved.max-tracked=0", "unobserved.maxTracked", 0,
				"'eddy.unobserved.max-tracked' must be positive, was 0");
	}

	private static void assertValidationError(String property, String field, Object value, String message) {
		EddyRunners.runner().withPropertyValues(property).run((context) -> {
			FieldError error = singleFieldError(context);
			assertThat(error.getField()).isEqualTo(field);
			assertThat(error.getRejectedValue()).isEqualTo(value);
			assertThat(error.getDefaultMessage()).isEqualTo(message);
		});
	}

	private static FieldError singleFieldError(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		BindValidationException validation = findCause(context.getStartupFailure(), BindValidationException.class);
		assertThat(validation.getValidationErrors().getName().toString()).isEqualTo("eddy");
		assertThat(validation.getValidationErrors().getAllErrors()).hasSize(1);
		ObjectError error = validation.getValidationErrors().getAllErrors().get(0);
		assertThat(error).isInstanceOf(FieldError.class);
		return (FieldError) error;
	}

	private static void assertConversionError(String property, String value) {
		EddyRunners.runner().withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			BindException bind = findCause(context.getStartupFailure(), BindException.class);
			assertThat(bind.getName().toString()).isEqualTo(property);
			assertThat(bind.getProperty().getName().toString()).isEqualTo(property);
			assertThat(bind.getProperty().getValue()).isEqualTo(value);
			assertThat(bind).hasMessageContaining(property);
			assertThat(bind.getCause()).hasMessageContaining("[" + value + "]");
		});
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in the cause chain of " + failure, failure);
	}

	@Configuration(proxyBeanMethods = false)
	static class VirtualUser {

		@Bean
		VirtualService virtualService() {
			return new VirtualService();
		}

	}

	public static class VirtualService {

		@RunOnExecutor("io")
		public CompletableFuture<String> where() throws ReflectiveOperationException {
			Thread thread = Thread.currentThread();
			Object virtual = Thread.class.getMethod("isVirtual").invoke(thread);
			return CompletableFuture.completedFuture(virtual + " " + thread.getName());
		}

	}

}
