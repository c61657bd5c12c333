package dev.eddy.internal;

import java.time.Duration;
import java.util.function.UnaryOperator;

import dev.eddy.unobserved.UnobservedFailureDetector;
import org.jspecify.annotations.Nullable;

/**
 * Validated settings of one loop, made by {@code EventLoopBuilder}.
 * <p>Thread-safe (immutable).
 *
 * @param name loop name
 * @param debug whether slow callbacks are timed
 * @param slowCallbackThreshold slow-callback threshold
 * @param drainTimeout how long close drains
 * @param blockedThreshold how long one callback may run before the watchdog reports the loop
 * @param taskDecorator decorator applied to queued callbacks, or null
 * @param detector where unobserved failures go
 * @param queueCapacity most callbacks queued by other threads plus pending timers
 */
public record LoopSettings(String name, boolean debug, Duration slowCallbackThreshold, Duration drainTimeout,
		Duration blockedThreshold, @Nullable UnaryOperator<Runnable> taskDecorator, UnobservedFailureDetector detector, int queueCapacity) {

	/** The longest time the runtime measures, about 292 years: a longer setting saturates to it. */
	public static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

	/** Saturates each duration at {@link #LONGEST}, so that no {@code toNanos()} downstream overflows. */
	public LoopSettings {
		slowCallbackThreshold = saturated(slowCallbackThreshold);
		drainTimeout = saturated(drainTimeout);
		blockedThreshold = saturated(blockedThreshold);
	}

	/**
	 * @param duration any duration
	 * @return it, or {@link #LONGEST} if it is longer
	 */
	public static Duration saturated(Duration duration) {
		return (duration.compareTo(LONGEST) > 0) ? LONGEST : duration;
	}

	/**
	 * @param duration any duration
	 * @return its nanoseconds, saturated at {@code Long.MAX_VALUE} and {@code Long.MIN_VALUE}
	 */
	public static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
		}
	}

}
