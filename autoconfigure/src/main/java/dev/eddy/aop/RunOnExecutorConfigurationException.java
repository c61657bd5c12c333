package dev.eddy.aop;

/**
 * A {@code @RunOnExecutor} method cannot run as declared: unknown executor, unsupported return
 * type, a method the proxy cannot intercept, or no aspect to run it. Thrown at startup, where a
 * failure analyzer turns it into a report naming {@code Class#method} and the fix.
 * <p>Thread-safe (immutable).
 */
public class RunOnExecutorConfigurationException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String description;

	private final String action;

	/**
	 * Creates the exception.
	 * @param description what is wrong, naming {@code Class#method}
	 * @param action what fixes it: the property or bean to add or change
	 */
	public RunOnExecutorConfigurationException(String description, String action) {
		super(description + " Action: " + action);
		this.description = description;
		this.action = action;
	}

	/** @return what is wrong */
	public String description() {
		return this.description;
	}

	/** @return what fixes it */
	public String action() {
		return this.action;
	}

}
