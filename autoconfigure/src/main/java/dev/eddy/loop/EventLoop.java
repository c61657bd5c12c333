package dev.eddy.loop;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.internal.DefaultEventLoop;
import org.jspecify.annotations.Nullable;

/**
 * A single-threaded event loop: Tornado's {@code IOLoop} and asyncio's event loop, without I/O.
 * Callbacks run one at a time on the loop's thread, in iterations: each iteration runs the
 * callbacks that were queued when it began and the timers that are due, so a callback queued
 * during iteration N runs in iteration N+1 (CB-4, CB-5). {@link LoopFuture}s are bound to a
 * loop and complete their callbacks through it.
 * <p>Two forms exist. {@link #create(String)} starts a thread that runs the loop until
 * {@link #close()}; {@link #onCurrentThread(String)} makes a loop that the calling thread drives
 * itself with {@link #runOnce()}, {@link #runUntilIdle()} or {@link #run()}, for deterministic
 * tests and embedding.
 * <p>Thread-safety: {@link #execute}, {@link #addCallback}, {@link #callLater},
 * {@link #newFuture}, {@link #addFuture}, {@link #runInExecutor}, {@link #runSync},
 * {@link #close}, {@link #awaitTermination} and the accessors are thread-safe; {@link #runOnce},
 * {@link #runUntilIdle} and {@link #run} may be called only by the owning thread.
 * <p>A loop is deliberately not a {@code java.util.concurrent.Executor}, so that in Spring it
 * never competes with the application's executors for {@code Executor} injection points; where
 * an {@code Executor} is wanted, pass {@code loop::execute}.
 */
public interface EventLoop extends AutoCloseable {

	/**
	 * Starts a loop on a new thread named after it, with default settings.
	 * @param name the loop's name, used for its thread, logs and metrics
	 * @return the running loop
	 */
	static EventLoop create(String name) {
		return builder(name).start();
	}

	/**
	 * Makes a loop owned and driven by the calling thread, with default settings.
	 * @param name the loop's name
	 * @return the loop, current on the calling thread until closed
	 * @throws IllegalStateException if the calling thread already runs a loop
	 */
	static EventLoop onCurrentThread(String name) {
		return builder(name).onCurrentThread();
	}

	/**
	 * A builder for a loop with non-default settings.
	 * @param name the loop's name
	 * @return a new builder
	 */
	static EventLoopBuilder builder(String name) {
		return new EventLoopBuilder(name);
	}

	/**
	 * The loop whose thread is calling (AF-1: a future needs a current loop).
	 * @return the current loop
	 * @throws IllegalStateException naming the thread when it runs no loop
	 */
	static EventLoop current() {
		return DefaultEventLoop.current();
	}

	/**
	 * The loop whose thread is calling, or {@code null} off every loop thread.
	 * @return the current loop or {@code null}
	 */
	static @Nullable EventLoop currentOrNull() {
		return DefaultEventLoop.currentOrNull();
	}

	/** @return the loop's name */
	String name();

	/** @return whether the calling thread is this loop's thread */
	boolean inLoopThread();

	/**
	 * Queues a callback to run on the loop in a later iteration. From the loop thread this is a
	 * plain enqueue; from other threads it goes through a multi-producer queue and wakes the loop
	 * only if it sleeps. Callbacks from one producer thread run in the order it queued them.
	 * @param callback the callback
	 * @throws EventLoopClosedException if the loop is closing (for other threads), closed or
	 * terminated (its thread failed, or the owner of an {@link #onCurrentThread} loop ended)
	 * @throws EventLoopFullException from another thread, when the callbacks queued by other
	 * threads plus the pending timers reach the loop's capacity ({@code eddy.loop.queue-capacity})
	 */
	void execute(Runnable callback);

	/**
	 * Tornado's name for {@link #execute(Runnable)}.
	 * @param callback the callback
	 */
	default void addCallback(Runnable callback) {
		execute(callback);
	}

	/**
	 * Runs a callback on the loop after a delay.
	 * @param delay how long to wait; zero runs it in the next iteration
	 * @param callback the callback
	 * @return a handle that can cancel it
	 * @throws IllegalArgumentException if the delay is negative
	 * @throws EventLoopFullException when the pending timers plus the callbacks queued by other
	 * threads reach the loop's capacity; a delay beyond about 73 years is treated as 73 years
	 */
	ScheduledCallback callLater(Duration delay, Runnable callback);

	/**
	 * Creates a pending future bound to this loop.
	 * @param <T> the result type
	 * @return a new future
	 */
	<T extends @Nullable Object> LoopFuture<T> newFuture();

	/**
	 * Runs {@code callback} on this loop once {@code future} is done, always in a later iteration,
	 * never inline (IOL-1). The callback receives the future. An exception from it is logged and
	 * counted, except a {@code CancellationException}, which is only counted (IOL-2).
	 * @param <T> the result type
	 * @param future the future to wait for; it may belong to another loop
	 * @param callback what to run
	 */
	<T extends @Nullable Object> void addFuture(LoopFuture<T> future, Consumer<? super LoopFuture<T>> callback);

	/**
	 * Runs {@code callback} on this loop once {@code stage} is complete, always in a later
	 * iteration, never inline, whichever thread completes the stage (IOL-1).
	 * @param <T> the result type
	 * @param stage the stage to wait for
	 * @param callback what to run; it receives {@code stage}
	 */
	<T extends @Nullable Object> void addFuture(CompletionStage<T> stage, Consumer<? super CompletionStage<T>> callback);

	/**
	 * Runs a task on an executor and returns a future of this loop that completes, on the loop,
	 * with the task's result or the exception it threw. A rejected submission fails the future
	 * with the executor's {@code RejectedExecutionException}. Cancelling the future does not
	 * interrupt the task; its outcome is then dropped.
	 * @param <T> the result type
	 * @param executor where the task runs
	 * @param task the task
	 * @return the future
	 */
	<T extends @Nullable Object> LoopFuture<T> runInExecutor(Executor executor, Callable<? extends T> task);

	/**
	 * Runs {@code supplier} on the loop and blocks until the future it returns is done, for
	 * callers outside the loop (tests, servlet threads). On a loop made by
	 * {@link #onCurrentThread} and called by its owner, drives the loop itself.
	 * @param <T> the result type
	 * @param supplier makes the future; called on the loop thread
	 * @param timeout how long to wait
	 * @return the future's result
	 * @throws TimeoutException if the future is not done in time; it is then cancelled
	 * @throws InterruptedException if the waiting thread is interrupted
	 * @throws IllegalStateException when called from a loop thread that this call would block
	 * (and that would deadlock)
	 * @throws RuntimeException whatever {@link LoopFuture#result()} throws for the outcome
	 */
	<T extends @Nullable Object> T runSync(Supplier<? extends LoopFuture<T>> supplier, Duration timeout)
			throws TimeoutException, InterruptedException;

	/**
	 * Runs {@code supplier} on the loop and returns, at once, a thread-safe future of the outcome
	 * of the {@code LoopFuture} it makes: the non-blocking counterpart of {@link #runSync}, for
	 * callers on other threads (asyncio's {@code run_coroutine_threadsafe}). The returned future
	 * takes over the duty to observe a failure; cancelling it does not cancel the loop's future.
	 * @param <T> the result type
	 * @param supplier makes the future; called on the loop thread
	 * @return a future completed on the loop thread
	 * @throws EventLoopClosedException if the loop is closing or closed (a full loop fails the
	 * returned future with {@link EventLoopFullException} instead)
	 */
	<T extends @Nullable Object> CompletableFuture<T> submit(Supplier<? extends LoopFuture<T>> supplier);

	/**
	 * Runs one iteration: the callbacks queued when it began, plus the timers that are due.
	 * @return how many callbacks ran
	 * @throws IllegalStateException off the owning thread, or on a loop with its own thread
	 */
	int runOnce();

	/**
	 * Runs iterations until nothing is ready (timers not yet due are not waited for).
	 * @return how many callbacks ran
	 * @throws IllegalStateException off the owning thread, or on a loop with its own thread
	 */
	int runUntilIdle();

	/**
	 * Runs the loop, sleeping when idle, until {@link #stop()} or {@link #close()} (Tornado
	 * {@code IOLoop.start}).
	 * @throws IllegalStateException off the owning thread, or on a loop with its own thread
	 */
	void run();

	/**
	 * Makes {@link #run()} return after the current iteration; a {@link #runSync} that drives the
	 * loop fails at once with {@code IllegalStateException} and cancels its future. Thread-safe.
	 * @throws IllegalStateException on a loop with its own thread (use {@link #close()})
	 */
	void stop();

	/**
	 * Closes the loop gracefully: stops accepting new work from other threads, runs what is
	 * queued and what it schedules until quiet or until the drain timeout, then cancels, with a
	 * message, every future still waiting on another thread's work (a pending
	 * {@link #runInExecutor} for example), and stops. Timers not yet due are cancelled. On a loop
	 * with its own thread, called from another thread, it waits for that thread to finish. Called
	 * from a loop callback, it only starts the close, which completes when the iteration ends. On
	 * a loop driven by its owner ({@link #onCurrentThread}), a close from another thread
	 * completes when the owner next runs the loop; use {@link #awaitTermination} to wait for it.
	 * Closing twice is harmless.
	 */
	@Override
	void close();

	/**
	 * Waits until the loop has fully closed.
	 * @param timeout how long to wait
	 * @return whether it closed in time
	 * @throws InterruptedException if interrupted while waiting
	 * @throws IllegalStateException on the loop's own thread, which it would block forever
	 */
	boolean awaitTermination(Duration timeout) throws InterruptedException;

	/** @return whether {@link #close()} was called */
	boolean isClosing();

	/** @return whether the loop has fully closed */
	boolean isTerminated();

	/** @return live counters of this loop */
	LoopStatistics statistics();

}
