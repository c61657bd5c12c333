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
				+ "' if that is what you meant, or remove it; an IDE completes every Eddy property from the starter's "
				+ "configuration metadata, and Eddy's configuration reference (docs/configuration.md in its repository) "
				+ "lists them.", cause);
	}

}
