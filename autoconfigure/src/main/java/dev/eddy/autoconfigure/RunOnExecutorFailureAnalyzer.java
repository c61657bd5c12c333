package dev.eddy.autoconfigure;

import dev.eddy.aop.RunOnExecutorConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@code @RunOnExecutor} method that cannot run as declared: {@code Class#method}, what
 * was found, and the property or bean that fixes it.
 */
class RunOnExecutorFailureAnalyzer extends AbstractFailureAnalyzer<RunOnExecutorConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RunOnExecutorConfigurationException cause) {
		return new FailureAnalysis(cause.description(), cause.action(), cause);
	}

}
