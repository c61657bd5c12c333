package dev.eddy.web;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports handler methods that return {@code LoopFuture} while {@code eddy.web.enabled=false}:
 * {@code Class#method} of each, and the switch that fixes it.
 */
class EddyWebFailureAnalyzer extends AbstractFailureAnalyzer<EddyWebDisabledException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EddyWebDisabledException cause) {
		return new FailureAnalysis(cause.description(), cause.action(), cause);
	}

}
