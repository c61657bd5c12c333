package dev.eddy.jcstress;

import java.util.concurrent.CountDownLatch;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A cross-thread {@code execute} racing with the loop going to sleep: the shared loop has just
 * run the previous state's callbacks and is parking when the two actors hand it one callback
 * each. A lost wake-up leaves a callback unrun until the next unrelated wake-up; the arbiter
 * waits at most {@link SharedLoop#WAIT_MILLIS} and reports 0 for a callback that did not run.
 */
@JCStressTest
@Description("execute from another thread while the loop goes to sleep: no lost wake-up")
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "both callbacks ran once")
@Outcome(expect = Expect.FORBIDDEN, desc = "a callback was lost (0) or ran twice (2)")
@State
public class LostWakeupTest {

	private final CountDownLatch ran = new CountDownLatch(2);

	private int first; // loop thread only

	private int second; // loop thread only

	@Actor
	public void producer1() {
		SharedLoop.LOOP.execute(() -> {
			this.first++;
			this.ran.countDown();
		});
	}

	@Actor
	public void producer2() {
		SharedLoop.LOOP.execute(() -> {
			this.second++;
			this.ran.countDown();
		});
	}

	@Arbiter
	public void arbiter(II_Result r) {
		if (!SharedLoop.await(this.ran)) {
			r.r1 = 0;
			r.r2 = 0;
			return;
		}
		// reads after the latch, which the loop thread counted down after its writes
		SharedLoop.drain(SharedLoop.LOOP); // a second run, if any, would have happened by now
		int[] seen = new int[2];
		CountDownLatch read = new CountDownLatch(1);
		SharedLoop.LOOP.execute(() -> {
			seen[0] = this.first;
			seen[1] = this.second;
			read.countDown();
		});
		if (!SharedLoop.await(read)) {
			r.r1 = 0;
			r.r2 = 0;
			return;
		}
		r.r1 = seen[0];
		r.r2 = seen[1];
	}

}
