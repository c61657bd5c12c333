package dev.eddy.test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that only {@link InnerTests#run(Class...)} runs, through JUnit's {@code EngineTestKit}:
 * when the build's own test run finds it, it is disabled (these classes fail on purpose).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(InnerTest.OnlyInTestKit.class)
public @interface InnerTest {

	/** Configuration parameter that {@link InnerTests#run} sets. */
	String PARAMETER = "dev.eddy.test.inner";

	/** Enables the class only under {@link InnerTests#run}. */
	final class OnlyInTestKit implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			return context.getConfigurationParameter(PARAMETER).isPresent()
					? ConditionEvaluationResult.enabled("run by EngineTestKit")
					: ConditionEvaluationResult.disabled("runs only inside EngineTestKit (it fails on purpose)");
		}

	}

}
