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
 * Health of Eddy's runtime: DOWN while the default loop is blocked past
 * {@code eddy.loop.blocked-threshold} or its thread is gone, UP again when it recovers. Details
 * show the loop's pending callbacks and each named executor's active and queued tasks and
 * limits; nothing secret.
 * <p>Thread-safe.
 */
public class EddyHealthIndicator extends AbstractHealthIndicator {

	private final EventLoop loop;

	private final @Nullable NamedExecutors executors;

	/**
	 * Creates the indicator.
	 * @param loop the default loop
	 * @param executors the named executors, or null
	 */
	public EddyHealthIndicator(EventLoop loop, @Nullable NamedExecutors executors) {
		super("Eddy health check failed");
		this.loop = loop;
		this.executors = executors;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		LoopStatistics stats = this.loop.statistics();
		String state = !stats.alive() ? "dead" : stats.blocked() ? "blocked" : "running";
		if ("running".equals(state)) {
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
