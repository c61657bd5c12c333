package dev.eddy.executor;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A named executor's settings are invalid. The message names the property key the user wrote and
 * the bad value, for example {@code 'eddy.executors.io.queue-capacity' must be positive, was 0}.
 * <p>Thread-safe (immutable).
 */
public class InvalidExecutorSpecException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final transient @Nullable Object value;

	/**
	 * Creates the exception.
	 * @param property the full property key, e.g. {@code eddy.executors.io.queue-capacity}
	 * @param value the bad value
	 * @param message the whole message
	 */
	public InvalidExecutorSpecException(String property, @Nullable Object value, String message) {
		super(message);
		this.property = property;
		this.value = value;
	}

	/**
	 * The whole message, which every constructor sets.
	 * @return the message, never null
	 */
	@Override
	public String getMessage() {
		return Objects.requireNonNull(super.getMessage(), "message");
	}

	/** @return the full property key */
	public String property() {
		return this.property;
	}

	/** @return the bad value */
	public @Nullable Object value() {
		return this.value;
	}

}
