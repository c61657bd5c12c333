package dev.eddy.micrometer;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.eddy.executor.NamedExecutor;
import dev.eddy.executor.NamedExecutors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;

/**
 * The meters of Eddy's named executors: Micrometer's {@link ExecutorServiceMetrics}
 * ({@code executor.*}, tag {@code name}) for each pool Eddy built (Spring Boot binds only
 * executor beans it sees as {@code ThreadPoolTaskExecutor}s, which these are not, so nothing is
 * bound twice), plus {@code eddy.executor.queue.wait} and {@code eddy.executor.tasks} with tag
 * {@code outcome} ({@code success}, {@code failure}, {@code cancelled}, {@code rejected}).
 * <p>Thread-safe.
 */
public final class NamedExecutorMetrics implements MeterBinder {

	private final NamedExecutors executors;

	/**
	 * Creates the binder.
	 * @param executors the executors
	 */
	public NamedExecutorMetrics(NamedExecutors executors) {
		this.executors = executors;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (NamedExecutor executor : this.executors.managed().values()) {
			Tags tags = Tags.of("name", executor.name());
			new ExecutorServiceMetrics(executor.threadPool(), executor.name(), Tags.empty()).bindTo(registry);
			Timer queueWait = Timer.builder(EddyMeters.EXECUTOR_QUEUE_WAIT)
				.description(EddyMeters.EXECUTOR_QUEUE_WAIT_DESCRIPTION)
				.tags(tags)
				.register(registry);
			Timer succeeded = tasks(registry, tags, tag(NamedExecutor.Outcome.SUCCESS));
			Timer failed = tasks(registry, tags, tag(NamedExecutor.Outcome.FAILURE));
			Timer cancelled = tasks(registry, tags, tag(NamedExecutor.Outcome.CANCELLED));
			Timer rejected = tasks(registry, tags, "rejected");
			executor.observer(new NamedExecutor.TaskObserver() {

				@Override
				public void started(long queuedNanos) {
					queueWait.record(queuedNanos, TimeUnit.NANOSECONDS);
				}

				@Override
				public void finished(NamedExecutor.Outcome outcome, long runNanos) {
					Timer timer = switch (outcome) {
						case SUCCESS -> succeeded;
						case FAILURE -> failed;
						case CANCELLED -> cancelled;
					};
					timer.record(runNanos, TimeUnit.NANOSECONDS);
				}

				@Override
				public void rejected() {
					rejected.record(0, TimeUnit.NANOSECONDS);
				}

			});
		}
	}

	private static Timer tasks(MeterRegistry registry, Tags tags, String outcome) {
		return Timer.builder(EddyMeters.EXECUTOR_TASKS)
			.description(EddyMeters.EXECUTOR_TASKS_DESCRIPTION)
			.tags(tags)
			.tag("outcome", outcome)
			.register(registry);
	}

	@Override
	public String toString() {
		return "NamedExecutorMetrics" + this.executors.names();
	}

	private static String tag(NamedExecutor.Outcome outcome) {
		return outcome.name().toLowerCase(Locale.ROOT);
	}

}
