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

	/**
	 * Settings applied to every named executor where it sets nothing itself: the keys of
	 * eddy.executors.<name>.*.
	 */
	private final Executor executorDefaults = new Executor();

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

	public Executor getExecutorDefaults() {
		return this.executorDefaults;
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
		return executorSpecs(null);
	}

	/**
	 * The validated settings of every configured executor, with {@code eddy.executor-defaults.*}
	 * applied where an executor sets nothing.
	 * @param defaultKind the kind of an executor that sets no kind, neither itself nor in the
	 * defaults ({@code virtual} under {@code spring.threads.virtual.enabled=true}), or null for
	 * {@link ExecutorSpec}'s default
	 * @return one spec per configured name, in configuration order
	 */
	public List<ExecutorSpec> executorSpecs(@Nullable ExecutorKind defaultKind) {
		return this.executors.entrySet()
			.stream()
			.map((entry) -> entry.getValue().toSpec(entry.getKey(), this.executorDefaults, defaultKind))
			.toList();
	}

	/**
	 * The settings of an executor that is not configured: {@code eddy.executor-defaults.*}.
	 * @param name the executor's name
	 * @param defaultKind as for {@link #executorSpecs(ExecutorKind)}
	 * @return the spec
	 */
	public ExecutorSpec defaultExecutorSpec(String name, @Nullable ExecutorKind defaultKind) {
		return new Executor().toSpec(name, this.executorDefaults, defaultKind);
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
		if (properties.loop.queueCapacity <= 0) {
			errors.rejectValue("loop.queueCapacity", "positive",
					"'eddy.loop.queue-capacity' must be positive, was " + properties.loop.queueCapacity);
		}
		if (properties.loop.name.isBlank()) {
			errors.rejectValue("loop.name", "blank", "'eddy.loop.name' must not be blank");
		}
		if (properties.unobserved.maxTracked <= 0) {
			errors.rejectValue("unobserved.maxTracked", "positive",
					"'eddy.unobserved.max-tracked' must be positive, was " + properties.unobserved.maxTracked);
		}
		boolean defaultsValid = true;
		try {
			properties.executorDefaults.toSpec(DEFAULTS_NAME);
		}
		catch (InvalidExecutorSpecException ex) {
			defaultsValid = false;
			String prefix = "eddy.executors." + DEFAULTS_NAME + ".";
			String key = ex.property().startsWith(prefix) ? ex.property().substring(prefix.length()) : null;
			String message = ex.getMessage().replace(prefix, "eddy.executor-defaults.");
			if (key != null) {
				errors.rejectValue("executorDefaults." + camelCase(key), "invalid", message);
			}
			else {
				errors.reject("invalid", message);
			}
		}
		for (Map.Entry<String, Executor> entry : properties.executors.entrySet()) {
			try {
				entry.getValue().toSpec(entry.getKey(), defaultsValid ? properties.executorDefaults : new Executor(), null);
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

	/** Name under which the defaults are validated; its keys are then reported as eddy.executor-defaults.*. */
	private static final String DEFAULTS_NAME = "executor-defaults";

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

		/**
		 * Whether the eddy health component is DOWN while the loop is blocked. Off by default: a
		 * blocked loop is often transient, and DOWN would take every instance out of the load
		 * balancer at once; it always shows in the details.
		 */
		private boolean blockedIsDown;

		/**
		 * Most callbacks queued by other threads plus pending timers the loop holds; past it new
		 * work is rejected with EventLoopFullException and counted. The loop's own scheduling is
		 * never refused.
		 */
		private int queueCapacity = 1000000;

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public boolean isBlockedIsDown() {
			return this.blockedIsDown;
		}

		public void setBlockedIsDown(boolean blockedIsDown) {
			this.blockedIsDown = blockedIsDown;
		}

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
		 * Kind of threads: platform, or virtual (Java 21+). Default platform; virtual under
		 * spring.threads.virtual.enabled=true on Java 21+.
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
			return toSpec(name, new Executor(), null);
		}

		/**
		 * Validated settings, each taken from this executor, else from the defaults.
		 * @param name the executor's name
		 * @param defaults {@code eddy.executor-defaults.*}
		 * @param defaultKind the kind when neither sets one, or null for {@code platform}
		 * @return the spec
		 */
		public ExecutorSpec toSpec(String name, Executor defaults, @Nullable ExecutorKind defaultKind) {
			return ExecutorSpec.builder(name)
				.kind(or(or(this.kind, defaults.kind), defaultKind))
				.coreSize(or(this.coreSize, defaults.coreSize))
				.maxSize(or(this.maxSize, defaults.maxSize))
				.queueCapacity(or(this.queueCapacity, defaults.queueCapacity))
				.keepAlive(or(this.keepAlive, defaults.keepAlive))
				.rejectionPolicy(or(this.rejectionPolicy, defaults.rejectionPolicy))
				.threadNamePrefix(or(this.threadNamePrefix, defaults.threadNamePrefix))
				.awaitTermination(or(this.awaitTermination, defaults.awaitTermination))
				.build();
		}

		private static <T> @Nullable T or(@Nullable T own, @Nullable T fallback) {
			return (own != null) ? own : fallback;
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
