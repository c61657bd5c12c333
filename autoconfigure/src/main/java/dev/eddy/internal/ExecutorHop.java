package dev.eddy.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import dev.eddy.loop.HandOffExecutor;
import org.jspecify.annotations.Nullable;

/**
 * The one road from Eddy to a pool: sends a piece of work to an executor and delivers what
 * became of it, for {@code EventLoop.runInExecutor} and the {@code @RunOnExecutor} dispatcher
 * alike. The work's outcome (its value, or whatever it threw) is delivered first; then a throw is
 * rethrown to a {@link HandOffExecutor} only, so that it counts a failure without logging it
 * again; a plain executor never sees it. A {@link HandOffExecutor} that abandons the task at
 * shutdown tells the delivery ({@link Delivery#abandoned}); an executor that refuses the task
 * tells it too ({@link Delivery#refused}), so that no future is left pending.
 * <p>Thread-safe (stateless); the work runs on the executor's thread.
 */
final class ExecutorHop {

	private ExecutorHop() {
	}

	/**
	 * What becomes of the work's outcome. Called on the pool's thread, except {@link #refused}
	 * (the submitting thread) and {@link #abandoned} (the thread that shut the pool down).
	 * @param <T> the value type
	 */
	interface Delivery<T extends @Nullable Object> {

		/** @param value what the work returned */
		void succeeded(@Nullable T value);

		/** @param failure what the work threw */
		void failed(Throwable failure);

		/**
		 * The pool shut down before the work completed.
		 * @param reason says which pool and why
		 */
		default void abandoned(CancellationException reason) {
			failed(reason);
		}

		/**
		 * The executor refused the work (usually a {@code RejectedExecutionException}); whatever it
		 * threw, the delivery carries it instead of staying pending. May rethrow it, to the
		 * submitting caller.
		 * @param failure what {@code execute} threw
		 */
		default void refused(Throwable failure) {
			failed(failure);
		}

	}

	/**
	 * Sends a hop, which is its own work, delivery and task: one allocation per send on the
	 * {@code @RunOnExecutor} path, where a separate task, delivery, abandon callback and work
	 * adapter cost four.
	 * @param executor where it runs
	 * @param hop the work and what becomes of it
	 * @param decoration wraps the task on the calling thread (context propagation), or null
	 */
	static void send(Executor executor, Hop<?> hop, @Nullable UnaryOperator<Runnable> decoration) {
		HandOffExecutor handOff = (executor instanceof HandOffExecutor pool) ? pool : null;
		hop.rethrow = (handOff != null); // published to the pool's thread by execute(), like the rest of the hop
		try {
			Runnable task = (decoration != null) ? new Decorated(hop, decoration.apply(hop)) : hop;
			if (handOff != null) {
				handOff.execute(task, hop);
			}
			else {
				executor.execute(task);
			}
		}
		catch (RuntimeException | Error ex) {
			hop.refused(ex);
		}
	}

	/**
	 * The work, then its delivery, on the pool's thread; also the abandon callback a
	 * {@link HandOffExecutor} calls at shutdown. Subclasses say what the work is, what becomes of
	 * its outcome, and how the task introduces itself ({@code toString()}, rendered only when a
	 * pool logs or rejects it).
	 * @param <T> the value type
	 */
	abstract static class Hop<T extends @Nullable Object> implements Runnable, Consumer<CancellationException>, Delivery<T> {

		private boolean rethrow; // set by send() before the pool sees the hop

		/** Whether run() began; pool thread only (read by {@link Decorated} after the decorated task returned or threw). */
		private boolean started;

		/**
		 * @return the value (nullable: NullAway on JDK 17 cannot read a nullable type argument)
		 * @throws Throwable the failure
		 */
		abstract @Nullable T call() throws Throwable;

		@Override
		public final void run() {
			this.started = true;
			@Nullable T value;
			try {
				value = call();
			}
			catch (Throwable ex) {
				failed(ex);
				if (this.rethrow) {
					// The outcome is delivered; the throw only lets the HandOffExecutor count a failure.
					throw Throwables.unchecked(ex);
				}
				return;
			}
			succeeded(value);
		}

		/** The pool abandoned the task at shutdown. */
		@Override
		public final void accept(CancellationException reason) {
			abandoned(reason);
		}

		@Override
		public abstract String toString();

	}

	/**
	 * A hop wrapped by a decoration (context propagation): if the wrapper throws before the hop ran
	 * (a ThreadLocalAccessor failing in setThreadLocals) or never runs it, the delivery is told,
	 * instead of a future left pending and a throw the HandOffExecutor counts but does not log.
	 */
	private static final class Decorated implements Runnable {

		private final Hop<?> hop;

		private final Runnable decorated;

		Decorated(Hop<?> hop, Runnable decorated) {
			this.hop = hop;
			this.decorated = decorated;
		}

		@Override
		public void run() {
			try {
				this.decorated.run();
			}
			catch (Throwable ex) {
				if (!this.hop.started) {
					this.hop.failed(ex);
				}
				throw ex;
			}
			if (!this.hop.started) {
				this.hop.failed(new IllegalStateException("The task decoration did not run " + this.hop));
			}
		}

		@Override
		public String toString() {
			return this.hop.toString();
		}

	}

}
