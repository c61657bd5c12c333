package dev.eddy.micrometer;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.eddy.loop.EventLoop;
import dev.eddy.loop.EventLoopClosedException;
import dev.eddy.loop.LoopStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one event loop. Counters and gauges read the loop's own counters (no cost per
 * callback); {@code eddy.loop.lag} is sampled by a probe callback queued every 100 ms from a
 * daemon thread, so the loop reads no clock per callback.
 * <p>Thread-safe. {@link #close()} stops the probe.
 */
public final class EventLoopMetrics implements MeterBinder, AutoCloseable {

	/** How often the lag probe runs. */
	public static final Duration PROBE_INTERVAL = Duration.ofMillis(100);

	private final EventLoop loop;

	private final boolean debug;

	private @Nullable ScheduledExecutorService prober;

	/**
	 * Creates the binder.
	 * @param loop the loop
	 * @param debug whether the loop runs in debug mode (only then is {@code eddy.loop.slow} registered)
	 */
	public EventLoopMetrics(EventLoop loop, boolean debug) {
		this.loop = loop;
		this.debug = debug;
	}

	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		LoopStatistics stats = this.loop.statistics();
		Tags tags = Tags.of("loop", this.loop.name());
		callbacks(registry, stats, tags, "success", LoopStatistics::callbacksSucceeded);
		callbacks(registry, stats, tags, "error", LoopStatistics::callbacksFailed);
		callbacks(registry, stats, tags, "rejected", LoopStatistics::callbacksRejected);
		Gauge.builder(EddyMeters.LOOP_PENDING, stats, LoopStatistics::pending)
			.description(EddyMeters.LOOP_PENDING_DESCRIPTION)
			.tags(tags)
			.register(registry);
		FunctionCounter.builder(EddyMeters.LOOP_BLOCKED, stats, LoopStatistics::blockedEpisodes)
			.description(EddyMeters.LOOP_BLOCKED_DESCRIPTION)
			.tags(tags)
			.register(registry);
		FunctionCounter.builder(EddyMeters.LOOP_WAKEUPS, stats, LoopStatistics::wakeups)
			.description(EddyMeters.LOOP_WAKEUPS_DESCRIPTION)
			.tags(tags)
			.register(registry);
		if (this.debug) {
			FunctionCounter.builder(EddyMeters.LOOP_SLOW, stats, LoopStatistics::slowCallbacks)
				.description(EddyMeters.LOOP_SLOW_DESCRIPTION)
				.tags(tags)
				.register(registry);
		}
		Timer lag = Timer.builder(EddyMeters.LOOP_LAG).description(EddyMeters.LOOP_LAG_DESCRIPTION).tags(tags).register(registry);
		if (this.prober == null) {
			ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "eddy-lag-probe-" + this.loop.name());
				thread.setDaemon(true);
				return thread;
			});
			long period = PROBE_INTERVAL.toNanos();
			scheduler.scheduleAtFixedRate(() -> probe(lag), period, period, TimeUnit.NANOSECONDS);
			this.prober = scheduler;
		}
	}

	private void probe(Timer lag) {
		long queued = System.nanoTime();
		try {
			this.loop.execute(() -> lag.record(System.nanoTime() - queued, TimeUnit.NANOSECONDS));
		}
		catch (EventLoopClosedException ex) {
			close();
		}
	}

	private static void callbacks(MeterRegistry registry, LoopStatistics stats, Tags tags, String outcome,
			java.util.function.ToDoubleFunction<LoopStatistics> count) {
		FunctionCounter.builder(EddyMeters.LOOP_CALLBACKS, stats, count)
			.description(EddyMeters.LOOP_CALLBACKS_DESCRIPTION)
			.tags(tags)
			.tag("outcome", outcome)
			.register(registry);
	}

	/** Stops the lag probe. */
	@Override
	public synchronized void close() {
		ScheduledExecutorService scheduler = this.prober;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
	}

	@Override
	public String toString() {
		return "EventLoopMetrics[" + this.loop.name() + "]";
	}

}
