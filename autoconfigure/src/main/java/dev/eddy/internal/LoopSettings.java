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
}
