package dev.eddy.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a key under {@code eddy.} that no Eddy property has, with the nearest known key.
 */
class UnknownEddyPropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnknownEddyPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnknownEddyPropertyException cause) {
		return new FailureAnalysis(cause.getMessage(), "Rename '" + cause.key() + "' to '" + cause.nearest()
				+ "' if that is what you meant, or remove it; every Eddy property is listed in docs/configuration.md.", cause);
	}

}
