package dev.eddy.micrometer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every unobserved failure in {@code eddy.futures.unobserved} (tags {@code exception} and
 * {@code source}), plus the detector's untracked count and live trackers. Counting is never
 * rate-limited, unlike the log. It subscribes to the detector when bound, rather than being an
 * {@code UnobservedFailureListener} bean, which the detector would need while it is being made.
 * <p>The tags are capped: past {@link #DEFAULT_MAX_TAG_VALUES} distinct values of {@code exception}
 * (or of {@code source}), a new value is counted under {@value #OTHER}, a warning is logged once,
 * and {@link #overflowCount()} counts every report so folded. No report goes uncounted.
 * <p>Thread-safe.
 */
public final class UnobservedFailureMetrics implements MeterBinder {

	/** Default most distinct values of each tag. */
	public static final int DEFAULT_MAX_TAG_VALUES = 100;

	/** The tag value of reports past the cap. */
	public static final String OTHER = "other";

	private static final Logger logger = LoggerFactory.getLogger(UnobservedFailureMetrics.class);

	private final UnobservedFailureDetector detector;

	private final int maxTagValues;

	private final Set<String> exceptions = ConcurrentHashMap.newKeySet();

	private final Set<String> sources = ConcurrentHashMap.newKeySet();

	private final AtomicLong overflow = new AtomicLong();

	private final AtomicBoolean warned = new AtomicBoolean();

	private volatile @Nullable MeterRegistry registry;

	/**
	 * Creates the binder with at most {@value #DEFAULT_MAX_TAG_VALUES} values of each tag.
	 * @param detector the detector whose reports are counted
	 */
	public UnobservedFailureMetrics(UnobservedFailureDetector detector) {
		this(detector, DEFAULT_MAX_TAG_VALUES);
	}

	/**
	 * Creates the binder.
	 * @param detector the detector whose reports are counted
	 * @param maxTagValues most distinct values of {@code exception}, and of {@code source}; positive
	 */
	public UnobservedFailureMetrics(UnobservedFailureDetector detector, int maxTagValues) {
		if (maxTagValues <= 0) {
			throw new IllegalArgumentException("'maxTagValues' must be positive, was " + maxTagValues);
		}
		this.detector = detector;
		this.maxTagValues = maxTagValues;
	}

	/** @return reports counted under {@value #OTHER} in at least one tag because of the cap */
	public long overflowCount() {
		return this.overflow.get();
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
			String exception = capped(this.exceptions, failure.exception().getClass().getName());
			String source = capped(this.sources, failure.source());
			if (OTHER.equals(exception) || OTHER.equals(source)) {
				this.overflow.incrementAndGet();
				if (this.warned.compareAndSet(false, true)) {
					logger.warn("More than {} distinct values of tag 'exception' or 'source' on meter '{}'; further values are "
							+ "counted under '{}'", this.maxTagValues, EddyMeters.UNOBSERVED, OTHER);
				}
			}
			counter(current, exception, source).increment();
		}
	}

	private String capped(Set<String> values, String value) {
		if (values.contains(value)) {
			return value;
		}
		synchronized (values) {
			if (values.size() < this.maxTagValues) {
				values.add(value);
				return value;
			}
		}
		return OTHER;
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
