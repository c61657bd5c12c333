package dev.eddy.micrometer;

import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Counts every unobserved failure in {@code eddy.futures.unobserved} (tags {@code exception} and
 * {@code source}), plus the detector's untracked count and live trackers. Counting is never
 * rate-limited, unlike the log. It subscribes to the detector when bound, rather than being an
 * {@code UnobservedFailureListener} bean, which the detector would need while it is being made.
 * <p>Thread-safe.
 */
public final class UnobservedFailureMetrics implements MeterBinder {

	private final UnobservedFailureDetector detector;

	private volatile @Nullable MeterRegistry registry;

	/**
	 * Creates the binder.
	 * @param detector the detector whose reports are counted
	 */
	public UnobservedFailureMetrics(UnobservedFailureDetector detector) {
		this.detector = detector;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		FunctionCounter.builder(EddyMeters.UNOBSERVED_UNTRACKED, this.detector, UnobservedFailureDetector::untrackedCount)
			.description(EddyMeters.UNOBSERVED_UNTRACKED_DESCRIPTION)
			.register(registry);
		Gauge.builder(EddyMeters.UNOBSERVED_TRACKED, this.detector, UnobservedFailureDetector::trackedCount)
			.description(EddyMeters.UNOBSERVED_TRACKED_DESCRIPTION)
			.register(registry);
		this.detector.addListener(this::count);
	}

	private void count(UnobservedFailure failure) {
		MeterRegistry current = this.registry;
		if (current != null) {
			counter(current, failure.exception().getClass().getName(), failure.source()).increment();
		}
	}

	/**
	 * The counter of one exception class and source, registered on first use.
	 * @param registry the registry
	 * @param exception the exception's class name
	 * @param source the source
	 * @return the counter
	 */
	static Counter counter(MeterRegistry registry, String exception, String source) {
		return Counter.builder(EddyMeters.UNOBSERVED)
			.description(EddyMeters.UNOBSERVED_DESCRIPTION)
			.tag("exception", exception)
			.tag("source", source)
			.register(registry);
	}

	@Override
	public String toString() {
		return "UnobservedFailureMetrics[" + this.detector + "]";
	}

}
