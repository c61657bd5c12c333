package dev.eddy.executor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import dev.eddy.internal.Describe;
import dev.eddy.internal.RateLimitedLog;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.HandOffExecutor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named executor: a bounded pool that never loses a task. A rejected task fails loudly with
 * a {@link RejectedExecutionException} naming the executor and its limits; at shutdown, tasks
 * that did not complete within {@code await-termination} are abandoned, which cancels the
 * futures they would have completed, with a message. Counts every task's outcome for metrics.
 * <p>Thread-safe.
 */
public final class NamedExecutor implements HandOffExecutor, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(NamedExecutor.class);

	/** Failures of tasks without a future: at most 10 lines per 10 s, the rest summarised (and counted). */
	private final RateLimitedLog taskErrors = RateLimitedLog.tenPer10Seconds(logger);

	/** Grace period after {@code shutdownNow()} for interrupted tasks to finish. */
	private static final long INTERRUPT_GRACE_MILLIS = 1_000;

	private final ExecutorSpec spec;

	private final ThreadPoolExecutor pool;

	private final Set<Task> inFlight = ConcurrentHashMap.newKeySet();

	private final LongAdder succeeded = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder abandoned = new LongAdder();

	private final LongAdder rejected = new LongAdder();

	private volatile @Nullable TaskObserver observer;

	private NamedExecutor(ExecutorSpec spec, ThreadPoolExecutor pool) {
		this.spec = spec;
		this.pool = pool;
		pool.setRejectedExecutionHandler(new Rejection());
	}

	/**
	 * Builds the pool from the settings, for use without Spring.
	 * @param spec the settings
	 * @return the executor
	 */
	public static NamedExecutor create(ExecutorSpec spec) {
		Objects.requireNonNull(spec, "spec");
		ThreadFactory threads = (spec.kind() == ExecutorKind.VIRTUAL) ? virtualThreads(spec)
				: platformThreads(spec.threadNamePrefix());
		ThreadPoolExecutor pool = new ThreadPoolExecutor(spec.coreSize(), spec.maxSize(), keepAliveNanos(spec),
				TimeUnit.NANOSECONDS, new ArrayBlockingQueue<>(spec.queueCapacity()), threads);
		return new NamedExecutor(spec, pool);
	}

	/**
	 * The keep-alive in nanoseconds, exact (a sub-second one included) and saturated at about 292
	 * years, for a pool built from the settings.
	 * @param spec the settings
	 * @return the nanoseconds to give {@link ThreadPoolExecutor#setKeepAliveTime}
	 */
	public static long keepAliveNanos(ExecutorSpec spec) {
		return saturatedNanos(spec.keepAlive());
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) { // longer than about 292 years (negative ones are refused by ExecutorSpec)
			return duration.isNegative() ? 0 : Long.MAX_VALUE;
		}
	}

	/**
	 * Takes over a pool built elsewhere (by Spring Boot's executor builder, so that
	 * {@code TaskDecorator} beans apply). This executor then owns its rejection handler and its
	 * shutdown.
	 * @param spec the settings the pool was built from
	 * @param pool the pool
	 * @return the executor
	 */
	public static NamedExecutor wrap(ExecutorSpec spec, ThreadPoolExecutor pool) {
		return new NamedExecutor(Objects.requireNonNull(spec, "spec"), Objects.requireNonNull(pool, "pool"));
	}

	/**
	 * A factory of virtual threads named {@code <prefix><n>}, made without compiling against
	 * Java 21.
	 * @param spec the settings
	 * @return the factory
	 * @throws InvalidExecutorSpecException on a JVM older than 21
	 */
	public static ThreadFactory virtualThreads(ExecutorSpec spec) {
		ExecutorSpec.requireVirtualThreads(spec.key("kind"));
		try {
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			Method name = builderType.getMethod("name", String.class, long.class);
			builder = name.invoke(builder, spec.threadNamePrefix(), 0L);
			return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Virtual threads are unavailable on " + Runtime.version(), ex);
		}
	}

	private static ThreadFactory platformThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(false);
			return thread;
		};
	}

	/** @return the executor's name */
	public String name() {
		return this.spec.name();
	}

	/** @return the settings */
	public ExecutorSpec spec() {
		return this.spec;
	}

	/** @return the underlying pool, for metrics binders */
	public ThreadPoolExecutor threadPool() {
		return this.pool;
	}

	/**
	 * Sets the observer that metrics use; replaces any previous one.
	 * @param observer the observer, or null
	 */
	public void observer(@Nullable TaskObserver observer) {
		this.observer = observer;
	}

	/**
	 * Runs a task that has no future to fail: an exception it throws is logged and counted.
	 * @param task the task
	 * @throws RejectedExecutionException naming this executor and its limits when it is full or
	 * shut down
	 */
	@Override
	public void execute(Runnable task) {
		execute(task, null);
	}

	/**
	 * Runs a task that completes a future. An exception thrown by {@code task} is counted as a
	 * failure and not logged: the task is expected to have passed it to its future first. If the
	 * executor shuts down before the task completed, {@code onAbandon} is called once with a
	 * {@link CancellationException} saying so, and should cancel the future.
	 * @param task the task
	 * @param onAbandon cancels the task's future, or null for a task without one
	 * @throws RejectedExecutionException naming this executor and its limits when it is full or
	 * shut down; not when a racing {@link #close()} abandoned the task first: then
	 * {@code onAbandon} alone tells it, and the task is counted once, as cancelled
	 */
	@Override
	public void execute(Runnable task, @Nullable Consumer<? super CancellationException> onAbandon) {
		Objects.requireNonNull(task, "task");
		Task tracked = new Task(task, onAbandon);
		this.inFlight.add(tracked);
		try {
			this.pool.execute(tracked);
		}
		catch (RuntimeException | Error ex) {
			// Not only a RejectedExecutionException: a TaskDecorator of a Spring-built pool, or a thread that
			// cannot be created, throws something else, and the task must not stay in flight (abandoned at close).
			// A close() racing with this submission may have abandoned the task already: it is then counted
			// once, as cancelled, and its future is cancelled; otherwise it is counted once here, as rejected.
			if (tracked.reject()) {
				this.inFlight.remove(tracked);
				this.rejected.increment();
				TaskObserver current = this.observer;
				if (current != null) {
					current.rejected();
				}
				throw ex;
			}
			if (ex instanceof Error error) {
				throw error;
			}
			// The close won: abandon() counted the task as cancelled and cancels its future. Throwing the
			// rejection now would let the caller fail that future first, so that the future said "rejected"
			// while the counters said "cancelled" (seen once in MillionSubmissionsStressTests).
		}
	}

	/** @return tasks running now */
	public int activeCount() {
		return this.pool.getActiveCount();
	}

	/** @return tasks waiting in the queue */
	public int queuedCount() {
		return this.pool.getQueue().size();
	}

	/** @return tasks submitted and neither finished nor abandoned */
	public int inFlightCount() {
		return this.inFlight.size();
	}

	/** @return tasks that completed normally */
	public long succeededCount() {
		return this.succeeded.sum();
	}

	/** @return tasks that threw */
	public long failedCount() {
		return this.failed.sum();
	}

	/** @return tasks abandoned at shutdown */
	public long abandonedCount() {
		return this.abandoned.sum();
	}

	/** @return submissions rejected */
	public long rejectedCount() {
		return this.rejected.sum();
	}

	/** @return whether {@link #close()} was called */
	public boolean isShutdown() {
		return this.pool.isShutdown();
	}

	/** @return whether every thread has finished */
	public boolean isTerminated() {
		return this.pool.isTerminated();
	}

	/**
	 * Shuts down: accepts nothing new, lets queued and running tasks finish for up to
	 * {@code await-termination}, then interrupts what still runs and abandons every task that did
	 * not complete, cancelling its future with a message. Nothing is left pending. Idempotent.
	 */
	@Override
	public void close() {
		this.pool.shutdown();
		boolean interrupted = false;
		try {
			if (!this.pool.awaitTermination(saturatedNanos(this.spec.awaitTermination()), TimeUnit.NANOSECONDS)) {
				this.pool.shutdownNow();
				this.pool.awaitTermination(INTERRUPT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			interrupted = true;
			this.pool.shutdownNow();
		}
		List<Task> left = new ArrayList<>(this.inFlight);
		String reason = "Executor '" + name() + "' shut down before this task completed (await-termination "
				+ this.spec.awaitTermination() + ")";
		int count = 0;
		for (Task task : left) {
			if (task.abandon(reason)) {
				count++;
			}
		}
		if (count > 0) {
			logger.warn("Executor '{}' abandoned {} task(s) that had not completed within await-termination {}; their futures "
					+ "were cancelled", name(), count, this.spec.awaitTermination());
		}
		this.taskErrors.flush();
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "NamedExecutor[" + name() + "](" + this.spec.kind().name().toLowerCase(java.util.Locale.ROOT) + ", active=" + activeCount()
				+ ", queued=" + queuedCount() + ", " + this.spec.describeLimits() + ")";
	}

	/** What metrics want to know about tasks. Implementations must be thread-safe and quick. */
	public interface TaskObserver {

		/**
		 * A task left the queue and starts.
		 * @param queuedNanos how long it waited
		 */
		void started(long queuedNanos);

		/**
		 * A task finished or was abandoned.
		 * @param outcome how it ended
		 * @param runNanos how long it ran (0 if it never started)
		 */
		void finished(Outcome outcome, long runNanos);

		/** A submission was rejected. */
		void rejected();

	}

	/** How a task ended. */
	public enum Outcome {

		/** Returned normally. */
		SUCCESS,

		/** Threw. */
		FAILURE,

		/** Abandoned at shutdown; its future was cancelled. */
		CANCELLED

	}

	/** A submitted task: runs at most once, or is abandoned at most once, never both. */
	private final class Task implements Runnable {

		private static final int QUEUED = 0;

		private static final int RUNNING = 1;

		private static final int FINISHED = 2;

		private static final int ABANDONED = 3;

		private static final int REJECTED = 4;

		private static final VarHandle STATE;

		static {
			try {
				STATE = MethodHandles.lookup().findVarHandle(Task.class, "state", int.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		private final Runnable body;

		private final @Nullable Consumer<? super CancellationException> onAbandon;

		private final long queuedAt = System.nanoTime();

		@SuppressWarnings("unused") // through STATE
		private volatile int state;

		Task(Runnable body, @Nullable Consumer<? super CancellationException> onAbandon) {
			this.body = body;
			this.onAbandon = onAbandon;
		}

		@Override
		public void run() {
			if (!STATE.compareAndSet(this, QUEUED, RUNNING)) {
				return; // abandoned while queued
			}
			long started = System.nanoTime();
			TaskObserver current = NamedExecutor.this.observer;
			if (current != null) {
				current.started(started - this.queuedAt);
			}
			Outcome outcome = Outcome.SUCCESS;
			try {
				this.body.run();
			}
			catch (Throwable ex) {
				outcome = Outcome.FAILURE;
				if (this.onAbandon == null) {
					NamedExecutor.this.taskErrors.error(ex.getClass().getName() + "|" + Describe.throwingFrame(ex),
							"Uncaught exception in task " + Describe.value(this.body) + " on executor '" + name() + "'", ex);
				}
			}
			finally {
				NamedExecutor.this.inFlight.remove(this);
				if (STATE.compareAndSet(this, RUNNING, FINISHED)) {
					(outcome == Outcome.SUCCESS ? NamedExecutor.this.succeeded : NamedExecutor.this.failed).increment();
					if (current != null) {
						current.finished(outcome, System.nanoTime() - started);
					}
				}
			}
		}

		/** @return whether this call, not a racing abandon(), settled the task as rejected */
		boolean reject() {
			return STATE.compareAndSet(this, QUEUED, REJECTED);
		}

		boolean abandon(String reason) {
			int seen = (int) STATE.getVolatile(this);
			if ((seen != QUEUED && seen != RUNNING) || !STATE.compareAndSet(this, seen, ABANDONED)) {
				return false;
			}
			NamedExecutor.this.inFlight.remove(this);
			NamedExecutor.this.abandoned.increment();
			TaskObserver current = NamedExecutor.this.observer;
			if (current != null) {
				current.finished(Outcome.CANCELLED, 0);
			}
			if (this.onAbandon != null) {
				try {
					this.onAbandon.accept(new CancellationException(reason));
				}
				catch (RuntimeException ex) {
					logger.error("Cancelling the future of an abandoned task on executor '{}' failed", name(), ex);
				}
			}
			else {
				logger.warn("{}: {}", reason, this.body);
			}
			return true;
		}

		@Override
		public String toString() {
			return this.body.toString();
		}

	}

	/** Turns a full or shut-down pool into an exception that names the executor and the fix. */
	private final class Rejection implements RejectedExecutionHandler {

		@Override
		public void rejectedExecution(Runnable task, ThreadPoolExecutor executor) {
			if (executor.isShutdown()) {
				throw new RejectedExecutionException("Executor '" + name() + "' is shut down and accepts no new tasks");
			}
			int threads = executor.getMaximumPoolSize();
			String full = "Executor '" + name() + "' rejected a task: " + ((threads == 1) ? "its only thread is" : "all "
					+ threads + " threads are") + " busy and the queue is full (" + NamedExecutor.this.spec.describeLimits() + ")";
			String fix = "; raise '" + NamedExecutor.this.spec.key("max-size") + "' or '"
					+ NamedExecutor.this.spec.key("queue-capacity") + "', or slow the producers down";
			if (NamedExecutor.this.spec.rejectionPolicy() == RejectionPolicy.CALLER_RUNS) {
				EventLoop loop = EventLoop.currentOrNull();
				if (loop == null) {
					task.run();
					return;
				}
				throw new RejectedExecutionException(full + "; rejection-policy=caller-runs is refused on the thread of EventLoop '"
						+ loop.name() + "', where running the task would block the loop" + fix);
			}
			throw new RejectedExecutionException(full + fix);
		}

	}

}
