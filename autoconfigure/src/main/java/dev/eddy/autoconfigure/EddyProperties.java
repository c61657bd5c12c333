package dev.eddy.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.eddy.executor.ExecutorKind;
import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.InvalidExecutorSpecException;
import dev.eddy.executor.RejectionPolicy;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of Eddy: the event loop, the named executors, unobserved-failure detection and
 * {@code @RunOnExecutor}. Validates itself while binding, so a bad value fails startup with the
 * property key and the value.
 * <p>Not thread-safe: bound once at startup, read-only afterwards.
 */
@ConfigurationProperties("eddy")
public class EddyProperties implements Validator {

	private final Loop loop = new Loop();

	/**
	 * Named executors, by name. The name is the bean name and the name {@code @RunOnExecutor}
	 * uses; "executor" always exists, with defaults unless configured here.
	 */
	private Map<String, Executor> executors = new LinkedHashMap<>();

	private final Unobserved unobserved = new Unobserved();

	private final RunOnExecutor runOnExecutor = new RunOnExecutor();

	public Loop getLoop() {
		return this.loop;
	}

	public Map<String, Executor> getExecutors() {
		return this.executors;
	}

	public void setExecutors(Map<String, Executor> executors) {
		this.executors = executors;
	}

	public Unobserved getUnobserved() {
		return this.unobserved;
	}

	public RunOnExecutor getRunOnExecutor() {
		return this.runOnExecutor;
	}

	/**
	 * The validated settings of every configured executor.
	 * @return one spec per configured name, in configuration order
	 */
	public List<ExecutorSpec> executorSpecs() {
		return this.executors.entrySet().stream().map((entry) -> entry.getValue().toSpec(entry.getKey())).toList();
	}

	@Override
	public boolean supports(Class<?> type) {
		return EddyProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		EddyProperties properties = (EddyProperties) target;
		rejectNonPositive(errors, "loop.slowCallbackThreshold", properties.loop.slowCallbackThreshold, "eddy.loop.slow-callback-threshold");
		rejectNonPositive(errors, "loop.blockedThreshold", properties.loop.blockedThreshold, "eddy.loop.blocked-threshold");
		rejectNonPositive(errors, "loop.drainTimeout", properties.loop.drainTimeout, "eddy.loop.drain-timeout");
		if (properties.loop.name.isBlank()) {
			errors.rejectValue("loop.name", "blank", "'eddy.loop.name' must not be blank");
		}
		if (properties.unobserved.maxTracked <= 0) {
			errors.rejectValue("unobserved.maxTracked", "positive",
					"'eddy.unobserved.max-tracked' must be positive, was " + properties.unobserved.maxTracked);
		}
		for (Map.Entry<String, Executor> entry : properties.executors.entrySet()) {
			try {
				entry.getValue().toSpec(entry.getKey());
			}
			catch (InvalidExecutorSpecException ex) {
				String key = ex.property();
				String prefix = "eddy.executors." + entry.getKey() + ".";
				String field = key.startsWith(prefix) ? camelCase(key.substring(prefix.length())) : null;
				if (field != null) {
					errors.rejectValue("executors[" + entry.getKey() + "]." + field, "invalid", ex.getMessage());
				}
				else {
					errors.reject("invalid", ex.getMessage());
				}
			}
		}
	}

	private static void rejectNonPositive(Errors errors, String field, Duration value, String key) {
		if (value.isNegative() || value.isZero()) {
			errors.rejectValue(field, "positive", "'" + key + "' must be positive, was " + value);
		}
	}

	private static String camelCase(String dashed) {
		StringBuilder result = new StringBuilder();
		boolean upper = false;
		for (char c : dashed.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				result.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return result.toString();
	}

	/** The default event loop. */
	public static class Loop {

		/**
		 * Name of the default loop, used for its thread, logs and metric tags.
		 */
		private String name = "eddy-loop";

		/**
		 * Whether to time every callback and log those slower than the slow-callback threshold
		 * (asyncio debug mode).
		 */
		private boolean debug;

		/**
		 * Duration over which a callback is logged as slow, in debug mode.
		 */
		private Duration slowCallbackThreshold = Duration.ofMillis(100);

		/**
		 * Duration for which the loop may run one callback before the watchdog reports it as
		 * blocked.
		 */
		private Duration blockedThreshold = Duration.ofSeconds(2);

		/**
		 * Duration for which closing the loop keeps running queued work before it cancels what is
		 * left.
		 */
		private Duration drainTimeout = Duration.ofSeconds(30);

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public boolean isDebug() {
			return this.debug;
		}

		public void setDebug(boolean debug) {
			this.debug = debug;
		}

		public Duration getSlowCallbackThreshold() {
			return this.slowCallbackThreshold;
		}

		public void setSlowCallbackThreshold(Duration slowCallbackThreshold) {
			this.slowCallbackThreshold = slowCallbackThreshold;
		}

		public Duration getBlockedThreshold() {
			return this.blockedThreshold;
		}

		public void setBlockedThreshold(Duration blockedThreshold) {
			this.blockedThreshold = blockedThreshold;
		}

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

	}

	/**
	 * One named executor. Unset values take the defaults of {@link ExecutorSpec}.
	 */
	public static class Executor {

		/**
		 * Kind of threads: platform, or virtual (Java 21+). Default platform.
		 */
		private @Nullable ExecutorKind kind;

		/**
		 * Number of threads kept alive (platform only). Default 8, at most max-size.
		 */
		private @Nullable Integer coreSize;

		/**
		 * Maximum number of threads, or for virtual executors of tasks running at once. Default 8.
		 */
		private @Nullable Integer maxSize;

		/**
		 * Maximum number of tasks waiting for a thread; always bounded. Default 1000.
		 */
		private @Nullable Integer queueCapacity;

		/**
		 * Duration for which threads above the core size may stay idle (platform only). Default 60s.
		 */
		private @Nullable Duration keepAlive;

		/**
		 * What happens when threads and queue are full (platform only): abort fails the caller's
		 * future; caller-runs runs the task on the caller, except on an event-loop thread. Default
		 * abort.
		 */
		private @Nullable RejectionPolicy rejectionPolicy;

		/**
		 * Prefix of the threads' names. Default "eddy-&lt;name&gt;-".
		 */
		private @Nullable String threadNamePrefix;

		/**
		 * Duration for which shutdown waits for queued and running tasks before it cancels their
		 * futures. Default 30s.
		 */
		private @Nullable Duration awaitTermination;

		/**
		 * Validated settings.
		 * @param name the executor's name
		 * @return the spec
		 */
		public ExecutorSpec toSpec(String name) {
			return ExecutorSpec.builder(name)
				.kind(this.kind)
				.coreSize(this.coreSize)
				.maxSize(this.maxSize)
				.queueCapacity(this.queueCapacity)
				.keepAlive(this.keepAlive)
				.rejectionPolicy(this.rejectionPolicy)
				.threadNamePrefix(this.threadNamePrefix)
				.awaitTermination(this.awaitTermination)
				.build();
		}

		public @Nullable ExecutorKind getKind() {
			return this.kind;
		}

		public void setKind(@Nullable ExecutorKind kind) {
			this.kind = kind;
		}

		public @Nullable Integer getCoreSize() {
			return this.coreSize;
		}

		public void setCoreSize(@Nullable Integer coreSize) {
			this.coreSize = coreSize;
		}

		public @Nullable Integer getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(@Nullable Integer maxSize) {
			this.maxSize = maxSize;
		}

		public @Nullable Integer getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(@Nullable Integer queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public @Nullable Duration getKeepAlive() {
			return this.keepAlive;
		}

		public void setKeepAlive(@Nullable Duration keepAlive) {
			this.keepAlive = keepAlive;
		}

		public @Nullable RejectionPolicy getRejectionPolicy() {
			return this.rejectionPolicy;
		}

		public void setRejectionPolicy(@Nullable RejectionPolicy rejectionPolicy) {
			this.rejectionPolicy = rejectionPolicy;
		}

		public @Nullable String getThreadNamePrefix() {
			return this.threadNamePrefix;
		}

		public void setThreadNamePrefix(@Nullable String threadNamePrefix) {
			this.threadNamePrefix = threadNamePrefix;
		}

		public @Nullable Duration getAwaitTermination() {
			return this.awaitTermination;
		}

		public void setAwaitTermination(@Nullable Duration awaitTermination) {
			this.awaitTermination = awaitTermination;
		}

	}

	/** Detection of failed futures nobody observed. */
	public static class Unobserved {

		/**
		 * How much the detector does: disabled, simple (report unobserved failures), or traced
		 * (also record and print where each failed future was created; costs a stack trace per
		 * future).
		 */
		private UnobservedFailureDetector.Level level = UnobservedFailureDetector.Level.SIMPLE;

		/**
		 * Maximum number of failures tracked at once; failures past it are counted in
		 * eddy.futures.unobserved.untracked instead.
		 */
		private int maxTracked = 100_000;

		public UnobservedFailureDetector.Level getLevel() {
			return this.level;
		}

		public void setLevel(UnobservedFailureDetector.Level level) {
			this.level = level;
		}

		public int getMaxTracked() {
			return this.maxTracked;
		}

		public void setMaxTracked(int maxTracked) {
			this.maxTracked = maxTracked;
		}

	}

	/** The {@code @RunOnExecutor} aspect. */
	public static class RunOnExecutor {

		/**
		 * Whether @RunOnExecutor methods run on their executors. When false, any annotated method
		 * fails startup rather than silently running on the caller.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
