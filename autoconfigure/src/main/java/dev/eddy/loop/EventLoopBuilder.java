package dev.eddy.loop;

import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

import dev.eddy.internal.DefaultEventLoop;
import dev.eddy.internal.LoopSettings;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.jspecify.annotations.Nullable;

/**
 * Settings for a new {@link EventLoop}; each setter validates its argument at once and names
 * it in the error.
 * <p>Not thread-safe: configure on one thread, then build.
 */
public final class EventLoopBuilder {

	private final String name;

	private boolean debug;

	private Duration slowCallbackThreshold = Duration.ofMillis(100);

	private Duration drainTimeout = Duration.ofSeconds(30);

	private Duration blockedThreshold = Duration.ofSeconds(2);

	private @Nullable UnaryOperator<Runnable> taskDecorator;

	private UnobservedFailureDetector unobservedFailureDetector = UnobservedFailureDetector.global();

	EventLoopBuilder(String name) {
		Objects.requireNonNull(name, "name");
		if (name.isBlank()) {
			throw new IllegalArgumentException("'name' must not be blank, was '" + name + "'");
		}
		this.name = name;
	}

	/**
	 * Whether to time every callback and log those slower than the slow-callback threshold
	 * (asyncio debug mode). Off by default: no clock is read per callback.
	 * @param debug whether to enable debug mode
	 * @return this builder
	 */
	public EventLoopBuilder debug(boolean debug) {
		this.debug = debug;
		return this;
	}

	/**
	 * Duration over which a callback is logged as slow in debug mode (asyncio
	 * {@code slow_callback_duration}); default 100 ms.
	 * @param threshold a positive duration
	 * @return this builder
	 */
	public EventLoopBuilder slowCallbackThreshold(Duration threshold) {
		this.slowCallbackThreshold = requirePositive(threshold, "slowCallbackThreshold");
		return this;
	}

	/**
	 * How long {@link EventLoop#close()} keeps running queued work before it cancels what is
	 * left; default 30 s.
	 * @param timeout a positive duration
	 * @return this builder
	 */
	public EventLoopBuilder drainTimeout(Duration timeout) {
		this.drainTimeout = requirePositive(timeout, "drainTimeout");
		return this;
	}

	/**
	 * How long one callback may run before the watchdog reports the loop as blocked, with the
	 * loop thread's stack (Vert.x {@code BlockedThreadChecker}); default 2 s.
	 * @param threshold a positive duration
	 * @return this builder
	 */
	public EventLoopBuilder blockedThreshold(Duration threshold) {
		this.blockedThreshold = requirePositive(threshold, "blockedThreshold");
		return this;
	}

	/**
	 * Wraps every callback when it is queued, on the queuing thread, for example to carry MDC
	 * or tracing context onto the loop.
	 * @param decorator the decorator, or {@code null} for none
	 * @return this builder
	 */
	public EventLoopBuilder taskDecorator(@Nullable UnaryOperator<Runnable> decorator) {
		this.taskDecorator = decorator;
		return this;
	}

	/**
	 * Where failed futures of this loop that nobody observes are reported; default
	 * {@link UnobservedFailureDetector#global()}.
	 * @param detector the detector
	 * @return this builder
	 */
	public EventLoopBuilder unobservedFailureDetector(UnobservedFailureDetector detector) {
		this.unobservedFailureDetector = Objects.requireNonNull(detector, "detector");
		return this;
	}

	/**
	 * Starts the loop on a new thread named after it.
	 * @return the running loop
	 */
	public EventLoop start() {
		return DefaultEventLoop.start(settings());
	}

	/**
	 * Makes a loop owned and driven by the calling thread.
	 * @return the loop
	 * @throws IllegalStateException if the calling thread already runs a loop
	 */
	public EventLoop onCurrentThread() {
		return DefaultEventLoop.onCurrentThread(settings());
	}

	/**
	 * Makes a loop owned and driven by the calling thread, like {@link #onCurrentThread()}, but
	 * not current on it: {@link EventLoop#current()} on this thread does not return it, so
	 * futures made elsewhere on this thread do not bind to it. Eddy's test support
	 * ({@code dev.eddy.test.TestLoop}) makes such a loop current only while a test runs.
	 * @return the loop
	 */
	public EventLoop onCurrentThreadUnbound() {
		return DefaultEventLoop.onCurrentThreadUnbound(settings());
	}

	private LoopSettings settings() {
		return new LoopSettings(this.name, this.debug, this.slowCallbackThreshold, this.drainTimeout, this.blockedThreshold,
				this.taskDecorator, this.unobservedFailureDetector);
	}

	private static Duration requirePositive(Duration value, String name) {
		Objects.requireNonNull(value, name);
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("'" + name + "' must be positive, was " + value);
		}
		return value;
	}

}
