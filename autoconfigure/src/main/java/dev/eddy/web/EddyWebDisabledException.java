package dev.eddy.web;

/**
 * A handler method is declared to return {@code LoopFuture} while Eddy's web integration is
 * switched off ({@code eddy.web.enabled=false}): its value would be lost. Thrown at startup, where
 * {@link EddyWebFailureAnalyzer} reports it.
 * <p>Thread-safe (immutable).
 */
public class EddyWebDisabledException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String description;

	private final String action;

	EddyWebDisabledException(String description, String action) {
		super(description + " Action: " + action);
		this.description = description;
		this.action = action;
	}

	/** @return what is wrong, naming {@code Class#method} */
	public String description() {
		return this.description;
	}

	/** @return what fixes it */
	public String action() {
		return this.action;
	}

}
