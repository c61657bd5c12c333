package dev.eddy.internal;

import org.jspecify.annotations.Nullable;

/**
 * Short, bounded renderings of values and exceptions for {@code toString()} and messages.
 * <p>Thread-safe (stateless).
 */
final class Describe {

	private static final int MAX = 120;

	private Describe() {
	}

	static String value(@Nullable Object value) {
		String text;
		try {
			text = String.valueOf(value);
		}
		catch (RuntimeException ex) {
			text = value.getClass().getName() + " (toString threw " + ex.getClass().getSimpleName() + ")";
		}
		return (text.length() > MAX) ? text.substring(0, MAX) + "…" : text;
	}

	static String exception(Throwable exception) {
		String message = exception.getMessage();
		return exception.getClass().getSimpleName() + ((message != null) ? ": " + value(message) : "");
	}

}
