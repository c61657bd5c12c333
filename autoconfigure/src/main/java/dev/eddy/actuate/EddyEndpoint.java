package dev.eddy.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.LoopStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The read-only {@code eddy} actuator endpoint: each named executor's kind, limits and counts,
 * the default loop's state, pending callbacks, lag and blocked episodes, and the last unobserved
 * failures. Exception messages can carry secrets, so they are shown as Boot's {@code env}
 * endpoint shows values: per {@code management.endpoint.eddy.show-values} (default never).
 * <p>Thread-safe.
 */
@Endpoint(id = "eddy")
public class EddyEndpoint {

	/** How long a read waits for the lag probe to run on the loop. */
	static final Duration LAG_PROBE_WAIT = Duration.ofMillis(250);

	private final EventLoop loop;

	private final @Nullable NamedExecutors executors;

	private final RecentUnobservedFailures failures;

	private final Show showValues;

	private final Set<String> roles;

	/**
	 * Creates the endpoint.
	 * @param loop the default loop
	 * @param executors the named executors, or null
	 * @param failures the recent unobserved failures
	 * @param showValues when exception messages are shown
	 * @param roles the roles that may see them under {@code when-authorized}
	 */
	public EddyEndpoint(EventLoop loop, @Nullable NamedExecutors executors, RecentUnobservedFailures failures, Show showValues,
			Set<String> roles) {
		this.loop = loop;
		this.executors = executors;
		this.failures = failures;
		this.showValues = showValues;
		this.roles = roles;
	}

	/**
	 * @param securityContext the caller, for {@code show-values=when-authorized}
	 * @return everything
	 */
	@ReadOperation
	public EddyDescriptor eddy(SecurityContext securityContext) {
		Map<String, ExecutorDescriptor> byName = new LinkedHashMap<>();
		if (this.executors != null) {
			this.executors.managed().values().forEach((executor) -> byName.put(executor.name(), describe(executor)));
		}
		boolean showMessages = this.showValues.isShown(securityContext, this.roles);
		List<FailureDescriptor> recent = this.failures.recent()
			.stream()
			.map((entry) -> new FailureDescriptor(entry.exception(), showMessages ? entry.message() : "******", entry.source(),
					entry.time(), entry.creationSite()))
			.toList();
		return new EddyDescriptor(describeLoop(), byName, new FailuresDescriptor(this.failures.total(), recent));
	}

	/**
	 * @param name an executor's name
	 * @return that executor, or null (404) when Eddy built none of that name
	 */
	@ReadOperation
	public @Nullable ExecutorDescriptor executor(@Selector String name) {
		NamedExecutor executor = (this.executors != null) ? this.executors.managed().get(name) : null;
		return (executor != null) ? describe(executor) : null;
	}

	private LoopDescriptor describeLoop() {
		LoopStatistics stats = this.loop.statistics();
		return new LoopDescriptor(this.loop.name(), loopState(), stats.pending(), lag(),
				stats.blockedEpisodes(), stats.callbacksSucceeded(), stats.callbacksFailed(), stats.callbacksRejected());
	}

	/** running, blocked, closing, closed, or dead (terminated on its own; see EddyHealthIndicator). */
	private String loopState() {
		return EddyHealthIndicator.state(this.loop);
	}

	/** Queues a probe and reports how long it waited, or that it did not run within the wait. */
	private String lag() {
		CountDownLatch ran = new CountDownLatch(1);
		long[] waited = new long[1];
		long queued = System.nanoTime();
		try {
			this.loop.execute(() -> {
				waited[0] = System.nanoTime() - queued;
				ran.countDown();
			});
			if (ran.await(LAG_PROBE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				return String.format(java.util.Locale.ROOT, "%.3fms", waited[0] / 1e6);
			}
			return "over " + LAG_PROBE_WAIT.toMillis() + "ms (the probe had not run yet)";
		}
		catch (RejectedExecutionException ex) {
			return "none (the loop accepts no callbacks: " + loopState() + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown (interrupted)";
		}
	}

	private static ExecutorDescriptor describe(NamedExecutor executor) {
		ExecutorSpec spec = executor.spec();
		return new ExecutorDescriptor(spec.kind().name().toLowerCase(java.util.Locale.ROOT),
				new LimitsDescriptor(spec.coreSize(), spec.maxSize(), spec.queueCapacity(), spec.keepAlive(),
						spec.rejectionPolicy().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), spec.awaitTermination()),
				executor.activeCount(), executor.queuedCount(), executor.succeededCount() + executor.failedCount(),
				executor.failedCount(), executor.rejectedCount(), executor.abandonedCount(), executor.isShutdown());
	}

	/**
	 * The whole endpoint.
	 * @param loop the default loop
	 * @param executors the named executors Eddy built, by name
	 * @param unobservedFailures the recent unobserved failures
	 */
	public record EddyDescriptor(LoopDescriptor loop, Map<String, ExecutorDescriptor> executors,
			FailuresDescriptor unobservedFailures) {
	}

	/**
	 * The default loop.
	 * @param name its name
	 * @param state running, blocked, closing, closed or dead
	 * @param pending callbacks queued and not started
	 * @param lag how long a probe callback waited just now
	 * @param blockedEpisodes times one callback blocked it past the threshold
	 * @param callbacksSucceeded callbacks that returned
	 * @param callbacksFailed callbacks that threw
	 * @param callbacksRejected callbacks refused after close
	 */
	public record LoopDescriptor(String name, String state, int pending, String lag, long blockedEpisodes,
			long callbacksSucceeded, long callbacksFailed, long callbacksRejected) {
	}

	/**
	 * One named executor.
	 * @param kind platform or virtual
	 * @param limits its settings
	 * @param active tasks running
	 * @param queued tasks waiting
	 * @param completed tasks that finished (returned or threw)
	 * @param failed of those, tasks that threw
	 * @param rejected submissions refused
	 * @param abandoned tasks cancelled at shutdown
	 * @param shutdown whether it was shut down
	 */
	public record ExecutorDescriptor(String kind, LimitsDescriptor limits, int active, int queued, long completed, long failed,
			long rejected, long abandoned, boolean shutdown) {
	}

	/**
	 * An executor's settings.
	 * @param coreSize threads kept
	 * @param maxSize threads (or virtual tasks) at most
	 * @param queueCapacity tasks waiting at most
	 * @param keepAlive idle time of threads above the core size
	 * @param rejectionPolicy abort or caller-runs
	 * @param awaitTermination how long shutdown waits
	 */
	public record LimitsDescriptor(int coreSize, int maxSize, int queueCapacity, Duration keepAlive, String rejectionPolicy,
			Duration awaitTermination) {
	}

	/**
	 * The recent unobserved failures.
	 * @param total reported since start
	 * @param recent the last ones, newest first
	 */
	public record FailuresDescriptor(long total, List<FailureDescriptor> recent) {
	}

	/**
	 * One unobserved failure.
	 * @param exception the exception's class
	 * @param message its message, or {@code ******} unless shown
	 * @param source the loop or {@code Class#method}
	 * @param time when it was reported
	 * @param creationSite where its future was created, at {@code eddy.unobserved.level=traced}
	 */
	public record FailureDescriptor(String exception, @Nullable String message, String source, Instant time,
			@Nullable String creationSite) {
	}

}
