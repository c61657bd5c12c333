package dev.eddy.test;

import java.util.Objects;

import dev.eddy.internal.DefaultEventLoop;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.EventLoopBuilder;

/**
 * A deterministic {@link EventLoop} for tests: owned and driven by the thread that creates it
 * (step it with {@link EventLoop#runOnce()} and {@link EventLoop#runUntilIdle()}), and current on
 * that thread only inside a {@link #bind(EventLoop) binding}.
 * <p>A loop made by {@link EventLoop#onCurrentThread(String)} stays current on its thread until it
 * is closed. When such a loop is a bean of a cached Spring test context, it stays current on
 * JUnit's thread after its test class ends, and the next test class, in another context, binds
 * its futures to it. A test loop is current only while a test of its own context runs
 * ({@link TestLoopExtension} for plain tests, {@code @EddyTestLoop} for Spring tests), so that
 * cannot happen.
 * <p>Thread-safe (static functions); the loops follow {@link EventLoop}'s threading rules.
 */
public final class TestLoop {

	private TestLoop() {
	}

	/**
	 * Makes a test loop owned by the calling thread, with default settings, not yet current.
	 * @param name the loop's name
	 * @return the loop
	 */
	public static EventLoop create(String name) {
		return create(EventLoop.builder(name));
	}

	/**
	 * Makes a test loop owned by the calling thread from a builder (to set its detector, its task
	 * decorator or its thresholds), not yet current.
	 * @param builder the settings
	 * @return the loop
	 */
	public static EventLoop create(EventLoopBuilder builder) {
		return Objects.requireNonNull(builder, "builder").onCurrentThreadUnbound();
	}

	/**
	 * Whether a loop is a test loop (made by {@link #create}).
	 * @param loop any loop
	 * @return true for a test loop
	 */
	public static boolean isTestLoop(EventLoop loop) {
		return (loop instanceof DefaultEventLoop own) && own.isBindable();
	}

	/**
	 * Makes a test loop current on the calling thread, its owner, until the binding is closed;
	 * then the loop that was current before, if any, is current again.
	 * @param loop a test loop
	 * @return the binding, to close on the same thread (try-with-resources)
	 * @throws IllegalArgumentException when the loop is not a test loop
	 * @throws IllegalStateException when the calling thread does not own the loop
	 */
	public static Binding bind(EventLoop loop) {
		Objects.requireNonNull(loop, "loop");
		if (!isTestLoop(loop)) {
			throw new IllegalArgumentException("'loop' must be a test loop made by TestLoop.create(...), was " + loop
					+ "; a loop made by EventLoop.onCurrentThread(...) stays current until closed and cannot be scoped");
		}
		return new Binding(((DefaultEventLoop) loop).bindToOwner());
	}

	/**
	 * The scope in which a test loop is current on its thread.
	 * <p>Confined to the loop's owning thread.
	 */
	public static final class Binding implements AutoCloseable {

		private final DefaultEventLoop.Binding binding;

		private Binding(DefaultEventLoop.Binding binding) {
			this.binding = binding;
		}

		/** Ends the scope. Idempotent. */
		@Override
		public void close() {
			this.binding.close();
		}

	}

}
