package dev.eddy.reliability;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.eddy.autoconfigure.EddyExecutorsAutoConfiguration;
import dev.eddy.autoconfigure.EddyHealthAutoConfiguration;
import dev.eddy.autoconfigure.EddyLoopAutoConfiguration;
import dev.eddy.autoconfigure.EddyMetricsAutoConfiguration;
import dev.eddy.autoconfigure.EddyRunOnExecutorAutoConfiguration;
import dev.eddy.micrometer.EddyMeters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Shared pieces of the reliability suite: a context as an application gets it (Eddy, Boot's
 * metrics with a simple registry, AOP, health), meter readers, bounded waits.
 */
final class ReliabilityFixture {

	private ReliabilityFixture() {
	}

	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
				AopAutoConfiguration.class, MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, EddyLoopAutoConfiguration.class, EddyExecutorsAutoConfiguration.class,
				EddyRunOnExecutorAutoConfiguration.class, EddyMetricsAutoConfiguration.class, EddyHealthAutoConfiguration.class));
	}

	/** {@code eddy.executor.tasks} count for one executor and outcome; 0 when never recorded. */
	static long tasks(MeterRegistry registry, String name, String outcome) {
		Timer timer = registry.find(EddyMeters.EXECUTOR_TASKS).tag("name", name).tag("outcome", outcome).timer();
		return (timer != null) ? timer.count() : 0;
	}

	/** {@code eddy.loop.callbacks} count for one outcome. */
	static long callbacks(MeterRegistry registry, String outcome) {
		FunctionCounter counter = registry.find(EddyMeters.LOOP_CALLBACKS).tag("outcome", outcome).functionCounter();
		return (counter != null) ? (long) counter.count() : -1;
	}

	static double gauge(MeterRegistry registry, String name, String tagKey, String tagValue) {
		Gauge gauge = registry.find(name).tag(tagKey, tagValue).gauge();
		return (gauge != null) ? gauge.value() : Double.NaN;
	}

	/** Waits up to {@code seconds} for {@code condition}; fails with {@code what} otherwise. */
	static void await(long seconds, Supplier<String> what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("not within " + seconds + " s: " + what.get());
			}
			sleep(5);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** A few collections so that reports of collected futures have had their chance. */
	static void settleGc() {
		for (int i = 0; i < 5; i++) {
			System.gc();
			sleep(20);
		}
	}

	static long millisSince(long startNanos) {
		return (System.nanoTime() - startNanos) / 1_000_000;
	}

}
