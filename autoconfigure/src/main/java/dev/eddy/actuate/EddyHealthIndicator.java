package dev.eddy.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.eddy.executor.NamedExecutor;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.LoopStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Health of Eddy's runtime: DOWN when the default loop is closed or its thread is gone, and the
 * details tell which. {@code state=closed} (or {@code closing}): the loop was closed, by the
 * application's shutdown (normal; {@code reason} says so) or by application code while it runs.
 * {@code state=dead}: the loop terminated on its own, because its thread died or the owner thread
 * of an {@code onCurrentThread} loop ended; {@code reason} names the cause. The application's
 * shutdown is known from its {@link ContextClosedEvent}; without a context, call
 * {@link #applicationClosing()}.
 * <p>A loop blocked past {@code eddy.loop.blocked-threshold} shows {@code state=blocked} in the
 * details and is DOWN only with {@code eddy.loop.blocked-is-down=true}: a transient block that
 * turned every instance DOWN at once would take them all out of the load balancer. Details
 * show the loop's pending callbacks and each named executor's active and queued tasks and
 * limits; nothing secret.
 * <p>Thread-safe.
 */
public class EddyHealthIndicator extends AbstractHealthIndicator
		implements ApplicationListener<ContextClosedEvent>, ApplicationContextAware {

	/** The {@code reason} detail of a loop closed by the application's shutdown. */
	public static final String CLOSED_BY_SHUTDOWN = "closed by the application's shutdown";

	/** How the {@code reason} detail of a loop that terminated on its own begins; the cause follows. */
	public static final String TERMINATED_UNEXPECTEDLY = "terminated unexpectedly: ";

	/** The {@code reason} detail of a loop that application code closed while the application runs. */
	public static final String CLOSED_WHILE_RUNNING = "closed by application code while the application runs; the loop "
			+ "rejects all work: restart the application, or do not close Eddy's loop bean yourself";

	/** The {@code reason} detail of a blocked loop. */
	public static final String BLOCKED = "one callback has run longer than eddy.loop.blocked-threshold; DOWN for it only "
			+ "with eddy.loop.blocked-is-down=true";

	private final EventLoop loop;

	private final @Nullable NamedExecutors executors;

	private final boolean blockedIsDown;

	private final ApplicationClosing applicationClosing = new ApplicationClosing();

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
	 * The loop's state as the health details and the {@code eddy} endpoint show it: {@code dead}
	 * when it terminated on its own ({@link LoopStatistics#terminationCause()}), {@code closed}
	 * (or {@code closing}) when someone closed it; the {@code reason} detail says who.
	 * @param loop the loop
	 * @return {@code running}, {@code blocked}, {@code closing}, {@code closed} or {@code dead}
	 */
	public static String state(EventLoop loop) {
		LoopStatistics stats = loop.statistics();
		// isClosing() first: it is what notices an onCurrentThread loop whose owner ended, and records the cause.
		boolean closing = loop.isClosing();
		boolean terminated = closing && loop.isTerminated();
		if (stats.terminationCause() != null) {
			return "dead";
		}
		if (closing) {
			return terminated ? "closed" : "closing";
		}
		return !stats.alive() ? "dead" : stats.blocked() ? "blocked" : "running";
	}

	/**
	 * What a state means, for the {@code reason} detail.
	 * @param loop the loop
	 * @param state from {@link #state(EventLoop)}
	 * @param applicationClosing whether the application is shutting down
	 * @return the reason, or null for {@code running}
	 */
	public static @Nullable String reason(EventLoop loop, String state, boolean applicationClosing) {
		return switch (state) {
			case "closed", "closing" -> applicationClosing ? CLOSED_BY_SHUTDOWN : CLOSED_WHILE_RUNNING;
			case "dead" -> TERMINATED_UNEXPECTEDLY + Objects.requireNonNullElse(loop.statistics().terminationCause(),
					"its thread ended without a close") + "; the loop rejects all work: restart the application";
			case "blocked" -> BLOCKED;
			default -> null;
		};
	}

	/**
	 * The application is shutting down: a loop closed from now on was closed by the shutdown.
	 * Called on this context's {@link ContextClosedEvent}.
	 */
	public void applicationClosing() {
		this.applicationClosing.closing();
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		this.applicationClosing.closed(event);
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		this.applicationClosing.context(applicationContext);
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
		String reason = reason(this.loop, state, this.applicationClosing.isClosing());
		if (reason != null) {
			loopDetails.put("reason", reason);
		}
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
