/**
 * Implementations behind the public runtime types. Not API: types here may change in any
 * release and must not be used outside Eddy. Spring-free: this package depends on nothing from
 * {@code org.springframework} or {@code io.micrometer}, nor on {@code dev.eddy.executor} (a pool
 * that cancels abandoned work is reached through {@code dev.eddy.loop.HandOffExecutor}); the
 * build's ArchUnit rules keep it so.
 * <h2>Map (one job per file)</h2>
 * <ul>
 * <li>{@code DefaultEventLoop}: the event loop: identity, owner and lifecycle, and the entry
 * points of {@code EventLoop}, each checking its caller and delegating to the classes below.</li>
 * <li>{@code LoopInbox}: how other threads reach a loop: the multi-producer queue, the
 * {@code eddy.loop.queue-capacity} slots (new work bounded, deliveries of accepted work never
 * refused), the sleep/wake-up hand-off, what is left at close.</li>
 * <li>{@code LoopTimers}: a loop's timer heap: insertion, purge of cancelled timers, due moves,
 * cancel-all at close.</li>
 * <li>{@code LoopTimer}: one callback due at a {@code nanoTime}, the {@code ScheduledCallback}
 * of {@code callLater}.</li>
 * <li>{@code LoopDriver}: runs a loop: one iteration, the sleep between iterations, and each way
 * of driving it ({@code run}, {@code runOnce}, {@code runUntilIdle}, {@code runSync} on its
 * owner, its own thread).</li>
 * <li>{@code CallbackRunner}: runs one callback: counted, timed in debug mode, its throw
 * contained and logged.</li>
 * <li>{@code ReadyQueue}: the loop's FIFO of what runs this iteration, unchanged by a failed
 * growth.</li>
 * <li>{@code LoopShutdown}: how a loop ends: drain at close, and termination after its thread
 * failed or its owner died.</li>
 * <li>{@code Rejectable}: a queued task told, instead of dropped, when the loop closed before it
 * ran.</li>
 * <li>{@code HandOffs}: the one place that makes, registers, completes and at close cancels the
 * futures that wait on another thread.</li>
 * <li>{@code ExecutorHop}: the one road to a pool, for {@code runInExecutor} and
 * {@code @RunOnExecutor}: delivers the work's outcome, lets a {@code HandOffExecutor} count a
 * failure and cancel abandoned work.</li>
 * <li>{@code SupplierHop}: {@code submit} and {@code runSync} from another thread: the supplier
 * runs on the loop, its outcome comes back.</li>
 * <li>{@code LoopCounters}: the counters behind {@code LoopStatistics}.</li>
 * <li>{@code EventLoopThread}: a loop's own thread, so that {@code EventLoop.current()} is a
 * type check.</li>
 * <li>{@code LoopSettings}: a loop's validated settings, made by {@code EventLoopBuilder}.</li>
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
 * (through {@code ExecutorHop}) and hands its outcome to a future of the declared kind.</li>
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
