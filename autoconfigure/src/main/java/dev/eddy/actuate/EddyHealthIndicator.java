package dev.eddy.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.eddy.executor.NamedExecutor;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.LoopStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of Eddy's runtime: DOWN when the default loop is closed or its thread is gone. A loop
 * blocked past {@code eddy.loop.blocked-threshold} shows {@code state=blocked} in the details and
 * is DOWN only with {@code eddy.loop.blocked-is-down=true}: a transient block that turned every
 * instance DOWN at once would take them all out of the load balancer. Details
 * show the loop's pending callbacks and each named executor's active and queued tasks and
 * limits; nothing secret.
 * <p>Thread-safe.
 */
public class EddyHealthIndicator extends AbstractHealthIndicator {

	private final EventLoop loop;

	private final @Nullable NamedExecutors executors;

	private final boolean blockedIsDown;

	/**
	 * Creates the indicator; a blocked loop is UP, with {@code state=blocked} in the details.
	 * @param loop the default loop
	 * @param executors the named executors, or null
	 */
	public EddyHealthIndicator(EventLoop loop, @Nullable NamedExecutors executors) {
		this(loop, executors, false);
	}

	/**
	 * Creates the indicator.
	 * @param loop the default loop
	 * @param executors the named executors, or null
	 * @param blockedIsDown whether a blocked loop is DOWN ({@code eddy.loop.blocked-is-down})
	 */
	public EddyHealthIndicator(EventLoop loop, @Nullable NamedExecutors executors, boolean blockedIsDown) {
		super("Eddy health check failed");
		this.loop = loop;
		this.executors = executors;
		this.blockedIsDown = blockedIsDown;
	}

	/**
	 * The loop's state as the health details and the {@code eddy} endpoint show it.
	 * @param loop the loop
	 * @return {@code running}, {@code blocked}, {@code closing}, {@code closed} or {@code dead}
	 */
	public static String state(EventLoop loop) {
		LoopStatistics stats = loop.statistics();
		if (loop.isClosing()) {
			return loop.isTerminated() ? "closed" : "closing";
		}
		return !stats.alive() ? "dead" : stats.blocked() ? "blocked" : "running";
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		LoopStatistics stats = this.loop.statistics();
		String state = state(this.loop);
		if ("running".equals(state) || ("blocked".equals(state) && !this.blockedIsDown)) {
			builder.up();
		}
		else {
			builder.down();
		}
		Map<String, Object> loopDetails = new LinkedHashMap<>();
		loopDetails.put("name", this.loop.name());
		loopDetails.put("state", state);
		loopDetails.put("pending", stats.pending());
		loopDetails.put("blockedEpisodes", stats.blockedEpisodes());
		builder.withDetail("loop", loopDetails);
		if (this.executors != null) {
			Map<String, Object> byName = new LinkedHashMap<>();
			for (NamedExecutor executor : this.executors.managed().values()) {
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("active", executor.activeCount());
				details.put("queued", executor.queuedCount());
				details.put("maxSize", executor.spec().maxSize());
				details.put("queueCapacity", executor.spec().queueCapacity());
				byName.put(executor.name(), details);
			}
			builder.withDetail("executors", byName);
		}
	}

}
