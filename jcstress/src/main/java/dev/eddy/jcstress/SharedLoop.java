package dev.eddy.jcstress;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.eddy.loop.EventLoop;

/**
 * The loops the tests share. A loop made by {@code EventLoop.onCurrentThread} belongs to the
 * thread that creates it, and jcstress creates state objects on whichever of its threads
 * happens to refill a batch, so a state cannot own one. The tests therefore use loops with their
 * own thread, made once per JVM: the loop thread itself is the second party of every race (it
 * goes to sleep between states, runs the hops), the actors are the producers, and the
 * {@code @Arbiter} observes the outcome after a bounded wait for the loop to catch up. A wait
 * that times out is reported as its own FORBIDDEN outcome, never as a pass.
 */
final class SharedLoop {

	/** Long enough for a loop on a loaded 2-core machine, short enough to keep a lost wake-up visible. */
	static final long WAIT_MILLIS = 5_000;

	static final EventLoop LOOP = createOnDaemonThread();

	private SharedLoop() {
	}

	/**
	 * A loop's thread inherits daemon status from the thread that creates it; a daemon loop lets
	 * each jcstress fork exit when its tests are done (nobody closes a JVM-wide loop).
	 */
	private static EventLoop createOnDaemonThread() {
		// A nested class, not a lambda: a lambda's body is a method of this class, whose
		// initialisation the joining thread holds, so the creator would deadlock on it.
		Creator creator = new Creator();
		Thread thread = new Thread(creator, "jcstress-loop-creator");
		thread.setDaemon(true);
		thread.start();
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return creator.loop;
	}

	private static final class Creator implements Runnable {

		private volatile EventLoop loop;

		@Override
		public void run() {
			this.loop = EventLoop.create("jcstress-loop");
		}

	}

	/** Waits for the latch; false when it timed out (the caller reports that as a forbidden outcome). */
	static boolean await(CountDownLatch latch) {
		try {
			return latch.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Waits until the loop has run everything queued before this call, and what that queued in
	 * turn (two iterations: a hop may schedule a done-callback for the next one).
	 * @return false on timeout
	 */
	static boolean drain(EventLoop loop) {
		CountDownLatch drained = new CountDownLatch(1);
		loop.execute(() -> loop.execute(drained::countDown));
		return await(drained);
	}

}
