package dev.eddy.internal;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoopClosedException;
import org.jspecify.annotations.Nullable;

/**
 * Runs one loop (Netty's {@code DefaultEventExecutor.run}): the iteration (due timers and the
 * inbox join the ready queue, then exactly what was ready when it began runs), the sleep between
 * iterations, and the ways a loop is driven: by its own thread, or by the owner of an
 * {@code onCurrentThread} loop through {@code run}, {@code runOnce}, {@code runUntilIdle} and
 * {@code runSync}.
 * <p>Loop-confined: every method runs on the loop's thread.
 */
final class LoopDriver {

	/** Inbox checks before the loop sleeps, roughly 10-20 µs: cheaper than a wake-up. */
	private static final int SPINS_BEFORE_SLEEP = 1000;

	private final DefaultEventLoop loop;

	private final ReadyQueue ready;

	private final LoopInbox inbox;

	private final LoopTimers timers;

	private final LoopCounters counters;

	private final CallbackRunner runner;

	private int iterationDepth;

	/** An interrupt of the thread that drives an onCurrentThread loop, held while callbacks run. */
	private boolean driverInterrupted;

	LoopDriver(DefaultEventLoop loop, CallbackRunner runner) {
		this.loop = loop;
		this.ready = loop.ready;
		this.inbox = loop.inbox;
		this.timers = loop.timers;
		this.counters = loop.counters;
		this.runner = runner;
	}

	/** @return whether a callback of this loop is running now (the loop is inside an iteration) */
	boolean insideIteration() {
		return this.iterationDepth > 0;
	}

	/** After the loop's own machinery failed mid-iteration, the drain starts from a clean slate. */
	void resetAfterFailure() {
		this.iterationDepth = 0;
		this.loop.draining = false;
	}

	// ---------------------------------------------------------------- driving

	int runOnce() {
		checkDriver("runOnce");
		int ran = iterate();
		finishCloseIfRequested();
		return ran;
	}

	int runUntilIdle() {
		checkDriver("runUntilIdle");
		int total = 0;
		int ran;
		while ((ran = iterate()) > 0) {
			total += ran;
		}
		finishCloseIfRequested();
		return total;
	}

	void run() {
		checkDriver("run");
		DefaultEventLoop loop = this.loop;
		while (!loop.stopRequested && loop.lifecycle == DefaultEventLoop.RUNNING) {
			iterate();
			if (this.ready.isEmpty() && !loop.stopRequested && loop.lifecycle == DefaultEventLoop.RUNNING) {
				sleepUntilWork(-1, true);
			}
		}
		loop.stopRequested = false;
		if (loop.lifecycle == DefaultEventLoop.CLOSING) {
			loop.drainAndTerminate();
		}
	}

	/** The body of a loop's own thread: iterate until closed, then drain; a failure of Eddy's own machinery ends the loop. */
	void runOnOwnThread(LoopShutdown shutdown) {
		DefaultEventLoop loop = this.loop;
		try {
			while (loop.lifecycle == DefaultEventLoop.RUNNING) {
				iterate();
				if (this.ready.isEmpty() && loop.lifecycle == DefaultEventLoop.RUNNING) {
					sleepUntilWork(-1, false);
				}
			}
			loop.drainAndTerminate();
		}
		catch (Throwable ex) {
			// No user code gets here (invoke() contains it); this is Eddy's own machinery failing, an
			// OutOfMemoryError for example. The loop must not linger half-alive: it terminates.
			shutdown.died("its thread failed with " + Describe.exception(ex), ex);
		}
		finally {
			shutdown.markTerminated();
		}
	}

	/**
	 * {@code runSync} on the owner of an {@code onCurrentThread} loop: drives it until the future
	 * is done, the timeout passed, {@code stop()} was called, or the loop closed.
	 */
	<T extends @Nullable Object> T runSync(Supplier<? extends LoopFuture<T>> supplier, Duration timeout)
			throws TimeoutException, InterruptedException {
		checkDriver("runSync");
		DefaultEventLoop loop = this.loop;
		long deadline = System.nanoTime() + DefaultEventLoop.saturatedNanos(timeout);
		loop.stopRequested = false; // a stop() before runSync was meant for an earlier run()
		LoopFuture<T> future = SupplierHop.requireFuture(loop, supplier.get());
		while (!future.done()) {
			if (Thread.interrupted()) {
				throw new InterruptedException("runSync on EventLoop '" + loop.name + "' interrupted");
			}
			int ran = runOnce();
			if (future.done()) {
				break;
			}
			if (loop.stopRequested) {
				// Tornado: "Event loop stopped before Future completed." The request is consumed here.
				loop.stopRequested = false;
				String message = "runSync on EventLoop '" + loop.name + "' was stopped (stop()) before its future completed";
				future.cancel(message);
				throw new IllegalStateException(message + "; the future was cancelled");
			}
			if (loop.lifecycle == DefaultEventLoop.CLOSED) {
				throw new EventLoopClosedException("EventLoop '" + loop.name + "' closed while runSync waited for " + future);
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				String message = "runSync on EventLoop '" + loop.name + "' timed out after " + timeout;
				future.cancel(message);
				throw new TimeoutException(message + "; the future was cancelled");
			}
			if (ran == 0) {
				sleepUntilWork(remaining, true);
			}
		}
		return future.result();
	}

	/** A close requested from a callback, or from another thread, completes once the owner is between iterations. */
	private void finishCloseIfRequested() {
		if (this.loop.lifecycle == DefaultEventLoop.CLOSING && this.iterationDepth == 0 && !this.loop.draining) {
			this.loop.drainAndTerminate();
		}
	}

	private void checkDriver(String method) {
		DefaultEventLoop loop = this.loop;
		if (loop.ownThread) {
			throw new IllegalStateException(method + "() is for loops made by EventLoop.onCurrentThread(name); EventLoop '"
					+ loop.name + "' runs on its own thread; hand it work with execute(...)");
		}
		Thread owner = loop.owner();
		if (Thread.currentThread() != owner) {
			throw new IllegalStateException(method + "() on EventLoop '" + loop.name + "' must be called by its owning thread '"
					+ owner.getName() + "' but was called from thread '" + Thread.currentThread().getName() + "'");
		}
		if (this.iterationDepth > 0) {
			throw new IllegalStateException(method + "() called from inside a callback of EventLoop '" + loop.name
					+ "'; a callback must not drive its own loop: schedule the rest with execute(...) or addDoneCallback(...)");
		}
		if (loop.lifecycle == DefaultEventLoop.CLOSED) {
			throw new EventLoopClosedException("EventLoop '" + loop.name + "' is closed; " + method
					+ "() has nothing to run; create a new loop");
		}
	}

	// ---------------------------------------------------------------- one iteration

	/**
	 * One iteration: due timers and the inbox join the ready queue, then exactly the callbacks
	 * that were ready when it began run (CB-4, CB-5).
	 * @return callbacks run
	 */
	int iterate() {
		this.counters.busy(true);
		this.iterationDepth++;
		try {
			this.timers.moveDue(this.ready);
			this.inbox.drainTo(this.ready);
			// The driver's interrupt status is kept aside: each callback starts without one, and none leaks into the next.
			if (Thread.interrupted()) {
				this.driverInterrupted = true;
			}
			int ran = 0;
			try {
				for (int todo = this.ready.size(); todo > 0; todo--) {
					Object task = this.ready.poll();
					if (task instanceof DefaultLoopFuture<?> future) {
						ran += future.deliverCallbacks();
					}
					else if (task instanceof LoopTimer timer) {
						// Started only now: a cancel() by an earlier callback of this iteration still wins (asyncio, Tornado).
						if (timer.start()) {
							invoke(timer.callback, null);
							ran++;
						}
					}
					else if (task instanceof DefaultEventLoop.LoopInternal internal) {
						internal.run();
					}
					else if (task != null) {
						invoke(task, null);
						ran++;
					}
				}
			}
			finally {
				if (this.driverInterrupted && !this.loop.ownThread) {
					this.driverInterrupted = false;
					Thread.currentThread().interrupt(); // the driver of an onCurrentThread loop gets it back
				}
			}
			return ran;
		}
		finally {
			this.iterationDepth--;
			if (this.iterationDepth == 0) {
				this.counters.busy(false);
			}
		}
	}

	/**
	 * Runs one callback through the {@link CallbackRunner} (counted, timed, its throw contained).
	 * @param callback a {@link Runnable}, or a done-callback when {@code future} is set
	 * @param future the future a done-callback receives, else null
	 */
	void invoke(Object callback, @Nullable Object future) {
		this.runner.run(callback, future);
		if (Thread.interrupted()) {
			// A callback's interrupt status must not leak into the next callback; an owner that drives the loop gets it back.
			this.driverInterrupted = !this.loop.ownThread;
		}
	}

	/**
	 * Parks until work arrives, the next timer is due, or {@code maxNanos} passed.
	 * @param maxNanos longest sleep, or -1 for none but the next timer
	 * @param wakeOnStop whether a {@code stop()} request ends the sleep
	 */
	void sleepUntilWork(long maxNanos, boolean wakeOnStop) {
		long timeout = maxNanos;
		long untilTimer = this.timers.nanosUntilNext();
		if (untilTimer != LoopTimers.NONE) {
			if (untilTimer <= 0) {
				return;
			}
			timeout = (timeout < 0) ? untilTimer : Math.min(timeout, untilTimer);
		}
		// Spin briefly before announcing sleep: a producer in the middle of a burst then needs no wake-up
		// (about 0.5 instead of 5.8 wake-ups per burst of 10, see benchmarks/RESULTS.md).
		for (int spin = 0; spin < SPINS_BEFORE_SLEEP; spin++) {
			if (!this.inbox.isEmpty()) {
				return;
			}
			Thread.onSpinWait();
		}
		DefaultEventLoop loop = this.loop;
		if (!this.inbox.announceSleep() || (wakeOnStop && loop.stopRequested)
				|| loop.lifecycle != DefaultEventLoop.RUNNING && !loop.draining) {
			this.inbox.awake();
			return;
		}
		this.counters.busy(false);
		Thread.interrupted(); // a callback's interrupt must not turn sleeping into spinning
		if (timeout < 0) {
			LockSupport.park(loop);
		}
		else {
			LockSupport.parkNanos(loop, timeout);
		}
		this.inbox.awake();
	}

}
