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
 * Two producers hand the loop two callbacks each. Each callback must run exactly once, and each
 * producer's two callbacks in the order it queued them; how the producers interleave is free.
 * The loop writes a trace of who ran (loop thread only); the arbiter encodes, per producer, its
 * callbacks in the order they ran: 12 is "first then second".
 */
@JCStressTest
@Description("two producers: every callback runs once, in per-producer order")
@Outcome(id = "12, 34", expect = Expect.ACCEPTABLE, desc = "each producer's callbacks ran once, in its order")
@Outcome(expect = Expect.FORBIDDEN, desc = "a callback lost, repeated or out of its producer's order (0: timed out)")
@State
public class TwoProducersOrderTest {

	private final CountDownLatch ran = new CountDownLatch(4);

	private int traceA; // loop thread only: digits of producer A's callbacks, in running order

	private int traceB; // loop thread only

	private void runA(int digit) {
		this.traceA = this.traceA * 10 + digit;
		this.ran.countDown();
	}

	private void runB(int digit) {
		this.traceB = this.traceB * 10 + digit;
		this.ran.countDown();
	}

	@Actor
	public void producerA() {
		SharedLoop.LOOP.execute(() -> runA(1));
		SharedLoop.LOOP.execute(() -> runA(2));
	}

	@Actor
	public void producerB() {
		SharedLoop.LOOP.execute(() -> runB(3));
		SharedLoop.LOOP.execute(() -> runB(4));
	}

	@Arbiter
	public void arbiter(II_Result r) {
		int[] seen = new int[2];
		CountDownLatch read = new CountDownLatch(1);
		boolean ok = SharedLoop.await(this.ran) && SharedLoop.drain(SharedLoop.LOOP);
		if (ok) {
			SharedLoop.LOOP.execute(() -> {
				seen[0] = this.traceA;
				seen[1] = this.traceB;
				read.countDown();
			});
			ok = SharedLoop.await(read);
		}
		r.r1 = ok ? seen[0] : 0;
		r.r2 = ok ? seen[1] : 0;
	}

}
