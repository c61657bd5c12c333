package dev.eddy.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * How one loop ends. At close: drain until quiet or the drain timeout, cancel the hand-offs still
 * waiting and run their callbacks, then account for whatever is left (told if it can be, else
 * counted as rejected); a caller on another thread waits for that, bounded. Without a close:
 * when the loop's thread failed, or the owner of an {@code onCurrentThread} loop ended, the loop
 * terminates all the same, rejects new work naming why, and leaves no future pending.
 * <p>Thread-safe where each method says; the drain runs on the loop thread.
 */
final class LoopShutdown {

	/** Most iterations run after the hand-offs were cancelled at close, so that their callbacks run. */
	private static final int MAX_FINAL_ITERATIONS = 1000;

	/** How much longer than the drain timeout close() waits for the loop thread. */
	private static final long CLOSE_GRACE_SECONDS = 5;

	private final DefaultEventLoop loop;

	private final CountDownLatch terminated = new CountDownLatch(1);

	/** Whoever terminates the loop after its thread or owner died does it once. */
	private final AtomicBoolean deathHandled = new AtomicBoolean();

	/** Why the loop ended without a close (its thread threw, or the owner of the loop died), or null. */
	private volatile @Nullable String death;

	LoopShutdown(DefaultEventLoop loop) {
		this.loop = loop;
	}

	/** @return why the loop ended without a close, or null; any thread */
	@Nullable String death() {
		return this.death;
	}

	/** @return whether the loop has terminated; any thread */
	boolean terminated() {
		return this.terminated.getCount() == 0;
	}

	/** Marks the loop terminated: its watchdog stops, and waiters are released. */
	void markTerminated() {
		this.loop.watchdog.stop();
		this.terminated.countDown();
	}

	/**
	 * @param nanos how long to wait at most
	 * @return whether the loop terminated in time
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	boolean await(long nanos) throws InterruptedException {
		return this.terminated.await(nanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Waits for the loop thread to finish its drain, at most the drain timeout plus a grace period:
	 * a callback that never returns must not hang the caller's shutdown forever. Another thread.
	 */
	void awaitClosed() {
		long deadline = System.nanoTime() + DefaultEventLoop.saturatedNanos(this.loop.drainTimeout)
				+ TimeUnit.SECONDS.toNanos(CLOSE_GRACE_SECONDS); // <= MAX_NANOS + 5 s: no overflow
		boolean interrupted = false;
		boolean done = false;
		while (!done) {
			try {
				long remaining = deadline - System.nanoTime();
				done = this.terminated.await(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
				if (!done) {
					LoopWatchdog.BlockedLoopException stack = new LoopWatchdog.BlockedLoopException(this.loop.owner());
					DefaultEventLoop.logger.error("EventLoop '{}' did not stop within its drain timeout of {} plus {} s: a callback"
							+ " does not return; close() gives up waiting (the loop thread stays at the stack shown)", this.loop.name,
							this.loop.drainTimeout, CLOSE_GRACE_SECONDS, stack);
					break;
				}
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Drains until quiet or the drain timeout, cancels the futures still waiting for other
	 * threads, runs their callbacks, then closes and accounts for anything left. Loop thread only.
	 * @param drainNanos how long to drain at most
	 */
	void drainAndTerminate(long drainNanos) {
		DefaultEventLoop loop = this.loop;
		loop.draining = true;
		try {
			loop.timers.cancelAll(true);
			String died = this.death;
			String ended = "EventLoop '" + loop.name + "' " + ((died != null) ? "terminated (" + died + ")" : "closed");
			int cancelled = loop.handOffs.cancelNotAwaited(ended);
			long deadline = System.nanoTime() + drainNanos;
			while (true) {
				loop.driver.iterate();
				boolean quiet = loop.handOffs.settle() && loop.ready.isEmpty() && loop.inbox.isEmpty();
				long remaining = deadline - System.nanoTime();
				if (quiet || remaining <= 0) {
					break;
				}
				if (loop.ready.isEmpty()) {
					loop.driver.sleepUntilWork(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)), false);
				}
			}
			cancelled += loop.handOffs.cancelAll(ended + " before the work behind this future completed (drain timeout "
					+ loop.drainTimeout + ")");
			for (int i = 0; i < MAX_FINAL_ITERATIONS && !(loop.ready.isEmpty() && loop.inbox.isEmpty()); i++) {
				loop.driver.iterate();
			}
			loop.timers.cancelAll(true); // including those scheduled while draining
			loop.lifecycle = DefaultEventLoop.CLOSED;
			int leftover = disposeReady();
			loop.inbox.disposeLeftovers(null);
			if (leftover > 0) {
				loop.counters.countRejected(leftover);
				DefaultEventLoop.logger.error("EventLoop '{}' closed with {} callback(s) that never ran (still queued after the"
						+ " drain timeout of {}); they were counted as rejected", loop.name, leftover, loop.drainTimeout);
			}
			if (cancelled > 0) {
				DefaultEventLoop.logger.warn("EventLoop '{}' cancelled {} future(s) whose work had not completed when it closed",
						loop.name, cancelled);
			}
		}
		finally {
			loop.draining = false;
			loop.lifecycle = DefaultEventLoop.CLOSED;
			if (!loop.ownThread) {
				loop.clearCurrent();
				markTerminated();
			}
			loop.counters.busy(false);
		}
	}

	/** Cancels the timers and disposes of the other tasks left in the ready queue; @return how many were lost. */
	private int disposeReady() {
		int lost = 0;
		Object task;
		while ((task = this.loop.ready.poll()) != null) {
			if (task instanceof LoopTimer timer) {
				timer.cancel();
			}
			else if (!this.loop.dispose(task)) {
				lost++;
			}
		}
		return lost;
	}

	/**
	 * Ends the loop after its thread failed: new work is rejected at once (naming why), the
	 * hand-off futures are cancelled with a message and their callbacks run where they still can,
	 * timers are cancelled, and whatever cannot run is counted as rejected. Loop thread only.
	 * @param why what happened, for messages
	 * @param cause what the thread threw
	 */
	void died(String why, Throwable cause) {
		if (!this.deathHandled.compareAndSet(false, true)) {
			return;
		}
		this.death = why;
		if (this.loop.lifecycle == DefaultEventLoop.RUNNING) {
			this.loop.lifecycle = DefaultEventLoop.CLOSING;
		}
		CallbackRunner.logSafely("EventLoop '" + this.loop.name + "' stopped unexpectedly: " + why + "; it is terminated, rejects"
				+ " new work, and cancelled what was pending", cause);
		try {
			this.loop.driver.resetAfterFailure();
			drainAndTerminate(0); // runs what is queued once more, so that cancelled futures tell their callbacks
		}
		catch (Throwable again) {
			CallbackRunner.logSafely("EventLoop '" + this.loop.name + "' could not run its callbacks after its thread failed; they"
					+ " were counted as rejected", again);
			abandonEverything(why);
		}
	}

	/**
	 * Whether this is an {@code onCurrentThread} loop whose owning thread ended without closing
	 * it; if so, terminates it (once, from whichever thread noticed). Any thread.
	 * @return whether the loop is dead
	 */
	boolean ownerDied() {
		Thread owner = this.loop.owner();
		if (this.loop.ownThread || owner.isAlive()) {
			return false;
		}
		if (this.deathHandled.compareAndSet(false, true)) {
			// The owner's end happens-before isAlive() returned false: its loop-confined state is safe to read here.
			String why = "its owner thread '" + owner.getName() + "' ended without closing it";
			this.death = why;
			DefaultEventLoop.logger.error("EventLoop '{}' is terminated: {}; close an onCurrentThread loop before its thread ends",
					this.loop.name, why);
			abandonEverything(why);
			markTerminated();
		}
		return true;
	}

	/**
	 * Terminates without running anything more: timers and hand-off futures are cancelled with
	 * a message, and every queued callback is told (a rejectable one) or counted as rejected.
	 */
	private void abandonEverything(String why) {
		DefaultEventLoop loop = this.loop;
		loop.lifecycle = DefaultEventLoop.CLOSED;
		String message = "EventLoop '" + loop.name + "' is terminated (" + why + ")";
		loop.timers.cancelAll(false);
		int lost = loop.handOffs.abandonAll(message + " before the work behind this future completed");
		lost += disposeReady();
		loop.inbox.disposeLeftovers(null);
		if (lost > 0) {
			loop.counters.countRejected(lost);
			DefaultEventLoop.logger.error("{}; {} callback(s) that were queued never ran and were counted as rejected", message,
					lost);
		}
	}

}
