package dev.eddy.executor;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The validated settings of one named executor. Errors name the property key as the user wrote
 * it ({@code eddy.executors.<name>.<key>}), whether the settings come from Spring properties or
 * from this builder.
 * <p>Defaults: {@code kind=platform}, {@code core-size=8} (at most {@code max-size}),
 * {@code max-size=8} (at least {@code core-size}), {@code queue-capacity=1000},
 * {@code keep-alive=60s}, {@code rejection-policy=abort},
 * {@code thread-name-prefix=eddy-<name>-}, {@code await-termination=30s}.
 * <p>Thread-safe (immutable).
 *
 * @param name the executor's name, also its bean name in Spring
 * @param kind platform or virtual threads
 * @param coreSize threads kept alive (platform only)
 * @param maxSize most threads, or for virtual executors most tasks running at once
 * @param queueCapacity most tasks waiting; always bounded
 * @param keepAlive how long idle threads above the core size live (platform only)
 * @param rejectionPolicy what happens when threads and queue are full (platform only)
 * @param threadNamePrefix prefix of the threads' names
 * @param awaitTermination how long shutdown waits for queued and running tasks
 */
public record ExecutorSpec(String name, ExecutorKind kind, int coreSize, int maxSize, int queueCapacity,
		Duration keepAlive, RejectionPolicy rejectionPolicy, String threadNamePrefix, Duration awaitTermination) {

	/** Default core and max size. */
	public static final int DEFAULT_SIZE = 8;

	/** Default queue capacity. */
	public static final int DEFAULT_QUEUE_CAPACITY = 1000;

	/** Default keep-alive. */
	public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);

	/** Default await-termination. */
	public static final Duration DEFAULT_AWAIT_TERMINATION = Duration.ofSeconds(30);

	/**
	 * Validates the settings.
	 */
	public ExecutorSpec {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(keepAlive, "keepAlive");
		Objects.requireNonNull(rejectionPolicy, "rejectionPolicy");
		Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
		Objects.requireNonNull(awaitTermination, "awaitTermination");
	}

	/**
	 * The defaults for a name.
	 * @param name the executor's name
	 * @return the settings
	 */
	public static ExecutorSpec defaults(String name) {
		return builder(name).build();
	}

	/**
	 * A builder; unset values take the defaults.
	 * @param name the executor's name
	 * @return the builder
	 */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/**
	 * The property key of a setting of this executor.
	 * @param key the setting, e.g. {@code queue-capacity}
	 * @return e.g. {@code eddy.executors.io.queue-capacity}
	 */
	public String key(String key) {
		return key(this.name, key);
	}

	static String key(String name, String key) {
		return "eddy.executors." + name + "." + key;
	}

	/**
	 * Fails unless this JVM has virtual threads (Java 21+).
	 * @param kindKey the property key of the kind, for the message
	 * @throws InvalidExecutorSpecException naming the key, the JVM and the fix, on Java 17 to 20
	 */
	static void requireVirtualThreads(String kindKey) {
		if (Runtime.version().feature() < 21) {
			throw new InvalidExecutorSpecException(kindKey, "virtual", "'" + kindKey + "' is virtual, which needs Java 21 or "
					+ "later, but this JVM is " + Runtime.version() + "; run on Java 21+ or set '" + kindKey + "=platform'");
		}
	}

	/** @return the limits, for messages: e.g. {@code max-size=8, queue-capacity=1000} */
	public String describeLimits() {
		return "max-size=" + this.maxSize + ", queue-capacity=" + this.queueCapacity;
	}

	/**
	 * Settings of a named executor. Every setter takes {@code null} as "use the default".
	 * <p>Not thread-safe.
	 */
	public static final class Builder {

		private final String name;

		private @Nullable ExecutorKind kind;

		private @Nullable Integer coreSize;

		private @Nullable Integer maxSize;

		private @Nullable Integer queueCapacity;

		private @Nullable Duration keepAlive;

		private @Nullable RejectionPolicy rejectionPolicy;

		private @Nullable String threadNamePrefix;

		private @Nullable Duration awaitTermination;

		private Builder(String name) {
			Objects.requireNonNull(name, "name");
			if (name.isBlank() || !name.chars().allMatch((c) -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
				throw new InvalidExecutorSpecException("eddy.executors." + name, name, "Executor name '" + name
						+ "' must be non-empty and made of letters, digits, '-' and '_' (it becomes a bean name)");
			}
			this.name = name;
		}

		/** @param kind platform or virtual @return this builder */
		public Builder kind(@Nullable ExecutorKind kind) {
			this.kind = kind;
			return this;
		}

		/** @param coreSize threads kept alive @return this builder */
		public Builder coreSize(@Nullable Integer coreSize) {
			this.coreSize = coreSize;
			return this;
		}

		/** @param maxSize most threads (most running tasks for virtual) @return this builder */
		public Builder maxSize(@Nullable Integer maxSize) {
			this.maxSize = maxSize;
			return this;
		}

		/** @param queueCapacity most waiting tasks @return this builder */
		public Builder queueCapacity(@Nullable Integer queueCapacity) {
			this.queueCapacity = queueCapacity;
			return this;
		}

		/** @param keepAlive idle time of extra threads @return this builder */
		public Builder keepAlive(@Nullable Duration keepAlive) {
			this.keepAlive = keepAlive;
			return this;
		}

		/** @param rejectionPolicy what to do when full @return this builder */
		public Builder rejectionPolicy(@Nullable RejectionPolicy rejectionPolicy) {
			this.rejectionPolicy = rejectionPolicy;
			return this;
		}

		/** @param threadNamePrefix thread name prefix @return this builder */
		public Builder threadNamePrefix(@Nullable String threadNamePrefix) {
			this.threadNamePrefix = threadNamePrefix;
			return this;
		}

		/** @param awaitTermination how long shutdown waits @return this builder */
		public Builder awaitTermination(@Nullable Duration awaitTermination) {
			this.awaitTermination = awaitTermination;
			return this;
		}

		/**
		 * Validates and builds.
		 * @return the settings
		 * @throws InvalidExecutorSpecException naming the property key and the bad value
		 */
		public ExecutorSpec build() {
			ExecutorKind kind = (this.kind != null) ? this.kind : ExecutorKind.PLATFORM;
			if (kind == ExecutorKind.VIRTUAL) {
				rejectForVirtual("core-size", this.coreSize);
				rejectForVirtual("keep-alive", this.keepAlive);
				rejectForVirtual("rejection-policy", this.rejectionPolicy);
				requireVirtualThreads(key(this.name, "kind"));
			}
			int max = (this.maxSize != null) ? this.maxSize : Math.max(DEFAULT_SIZE, (this.coreSize != null) ? this.coreSize : 0);
			int core = (kind == ExecutorKind.VIRTUAL) ? max
					: (this.coreSize != null) ? this.coreSize : Math.min(DEFAULT_SIZE, max);
			requirePositive("max-size", max);
			if (core < 0) {
				throw invalid("core-size", core, "must not be negative, was " + core);
			}
			if (core > max) {
				throw invalid("core-size", core, "(" + core + ") must not exceed '" + key(this.name, "max-size") + "' (" + max + ")");
			}
			int queue = (this.queueCapacity != null) ? this.queueCapacity : DEFAULT_QUEUE_CAPACITY;
			requirePositive("queue-capacity", queue);
			Duration keepAlive = (this.keepAlive != null) ? this.keepAlive : DEFAULT_KEEP_ALIVE;
			if (keepAlive.isNegative() || keepAlive.isZero()) {
				throw invalid("keep-alive", keepAlive, "must be positive, was " + keepAlive);
			}
			Duration await = (this.awaitTermination != null) ? this.awaitTermination : DEFAULT_AWAIT_TERMINATION;
			if (await.isNegative()) {
				throw invalid("await-termination", await, "must not be negative, was " + await);
			}
			String prefix = (this.threadNamePrefix != null) ? this.threadNamePrefix : "eddy-" + this.name + "-";
			if (prefix.isBlank()) {
				throw invalid("thread-name-prefix", prefix, "must not be blank, was '" + prefix + "'");
			}
			RejectionPolicy policy = (this.rejectionPolicy != null) ? this.rejectionPolicy : RejectionPolicy.ABORT;
			return new ExecutorSpec(this.name, kind, core, max, queue, keepAlive, policy, prefix, await);
		}

		private void requirePositive(String key, int value) {
			if (value <= 0) {
				throw invalid(key, value, "must be positive, was " + value);
			}
		}

		private void rejectForVirtual(String key, @Nullable Object value) {
			if (value != null) {
				throw new InvalidExecutorSpecException(key(this.name, key), value, "'" + key(this.name, key)
						+ "' does not apply to kind=virtual; remove it (a virtual executor takes max-size, queue-capacity,"
						+ " thread-name-prefix and await-termination)");
			}
		}

		private InvalidExecutorSpecException invalid(String key, Object value, String problem) {
			return new InvalidExecutorSpecException(key(this.name, key), value, "'" + key(this.name, key) + "' " + problem);
		}

	}

}
