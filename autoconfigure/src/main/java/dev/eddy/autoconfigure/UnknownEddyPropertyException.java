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
		this(key, nearest, "'" + key + "' is not a known Eddy property" + ((origin != null) ? " (set in " + origin + ")" : "")
				+ "; did you mean '" + nearest + "'?", true);
	}

	private UnknownEddyPropertyException(String key, String nearest, String message, boolean described) {
		super(message);
		this.key = key;
		this.nearest = nearest;
	}

	/**
	 * A key such as {@code eddy.executors.a.b.max-size}: a known executor key after an executor
	 * name with a dot in it, which binds to no executor.
	 */
	static UnknownEddyPropertyException dottedExecutorName(String key, String executorName, String executorKey,
			@Nullable String origin) {
		String fixed = "eddy.executors." + executorName.replace('.', '-') + "." + executorKey;
		return new UnknownEddyPropertyException(key, fixed, "'" + key + "'" + ((origin != null) ? " (set in " + origin + ")" : "")
				+ " names executor '" + executorName + "', but an executor name is one segment of the key, without '.',"
				+ " so it configures no executor; write '" + fixed + "'", true);
	}

	String key() {
		return this.key;
	}

	String nearest() {
		return this.nearest;
	}

}
