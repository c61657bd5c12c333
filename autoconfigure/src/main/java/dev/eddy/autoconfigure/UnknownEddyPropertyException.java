package dev.eddy.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A key under {@code eddy.} that no Eddy property has; reported by
 * {@link UnknownEddyPropertyFailureAnalyzer}.
 */
final class UnknownEddyPropertyException extends IllegalStateException {

	private final String key;

	private final String nearest;

	UnknownEddyPropertyException(String key, String nearest, @Nullable String origin) {
		super("'" + key + "' is not a known Eddy property" + ((origin != null) ? " (set in " + origin + ")" : "")
				+ "; did you mean '" + nearest + "'?");
		this.key = key;
		this.nearest = nearest;
	}

	String key() {
		return this.key;
	}

	String nearest() {
		return this.nearest;
	}

}
