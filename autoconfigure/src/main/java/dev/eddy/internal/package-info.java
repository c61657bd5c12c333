/**
 * Implementations behind the public runtime types. Not API: types here may change in any
 * release and must not be used outside Eddy. Spring-free: this package depends on nothing from
 * {@code org.springframework} or {@code io.micrometer}, nor on {@code dev.eddy.executor} (a pool
 * that cancels abandoned work is reached through {@code dev.eddy.loop.HandOffExecutor}); the
 * build's ArchUnit rules keep it so.
 * <h2>Map (one job per file)</h2>
 * <ul>
 * <li>{@code DefaultEventLoop}: the event loop: submission and rejection, timers, hand-offs
 * from other threads, {@code runInExecutor}, {@code submit}/{@code runSync}, driving, close
 * and drain, statistics.</li>
 * <li>{@code EventLoopThread}: a loop's own thread, so that {@code EventLoop.current()} is a
 * type check.</li>
 * <li>{@code LoopSettings}: a loop's validated settings, made by {@code EventLoopBuilder}.</li>
 * <li>{@code TimerTask}: one callback due at a {@code nanoTime}, in the loop's timer heap.</li>
 * <li>{@code LoopWatchdog}: reports a loop stuck in one callback past its blocked threshold.</li>
 * <li>{@code DefaultLoopFuture}: the loop-bound future (loop-confined, no locks).</li>
 * <li>{@code CompletedLoopFuture}: {@code LoopFuture.completed}/{@code failed}, done from birth,
 * bound to no loop.</li>
 * <li>{@code AddFutureCallback}: the callback of {@code EventLoop.addFuture}.</li>
 * <li>{@code EddyCompletableFuture}: the {@code CompletableFuture}s Eddy hands out: which JDK
 * method observes a failure, moves the duty to a dependent, or is plumbing; refuses to block its
 * own loop.</li>
 * <li>{@code FailureDutyFuture}: its superclass: the duty's state (owed, tracked, observed) and
 * the rules that discharge or report it.</li>
 * <li>{@code MinimalEddyStage}: what {@code minimalCompletionStage()} hands out: tracked, refusing
 * what the JDK's minimal stage refuses.</li>
 * <li>{@code DefaultFutures}: the {@code tornado.concurrent} functions behind
 * {@code Futures}.</li>
 * <li>{@code Dispatcher}: {@code run_on_executor} without Spring: runs a body on an executor
 * and hands its outcome to a future of the declared kind.</li>
 * <li>{@code Describe}: renders user objects for messages and logs, bounded and safe against a
 * hostile {@code toString()}.</li>
 * <li>{@code RateLimitedLog}: keeps a flood of identical errors out of the log.</li>
 * <li>{@code Throwables}: peels one {@code CompletionException}; makes any failure
 * throwable from a {@code Runnable}.</li>
 * <li>{@code Nullness}: the one nullness invariant the checker cannot follow (a succeeded
 * outcome's value).</li>
 * </ul>
 */
@NullMarked
package dev.eddy.internal;

import org.jspecify.annotations.NullMarked;
