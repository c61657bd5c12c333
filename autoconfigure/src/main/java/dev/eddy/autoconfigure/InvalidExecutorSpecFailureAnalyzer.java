package dev.eddy.autoconfigure;

import dev.eddy.executor.InvalidExecutorSpecException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports invalid named-executor settings that reach Eddy outside property binding (for example
 * {@code kind=virtual} on Java 17 through a custom registry), naming the property key.
 */
class InvalidExecutorSpecFailureAnalyzer extends AbstractFailureAnalyzer<InvalidExecutorSpecException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidExecutorSpecException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Update '" + cause.property() + "' in your application's configuration (value was '" + cause.value() + "').",
				cause);
	}

}
