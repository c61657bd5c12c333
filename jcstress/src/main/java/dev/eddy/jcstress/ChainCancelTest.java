package dev.eddy.jcstress;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import dev.eddy.concurrent.Futures;
import dev.eddy.concurrent.LoopFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code Futures.chain(CompletableFuture, LoopFuture)} with the source completed on one thread
 * while the target is cancelled (on its loop, where a {@code LoopFuture} must be touched) by
 * another. The hop of the source's value and the cancel race on the loop: either the value wins
 * and the cancel returns false, or the cancel wins and the late value is dropped (CH-5). Never a
 * pending target, never both, never an exception from the hop.
 * <p>r1: the target's end state (1 result 42, 2 cancelled, 3 failed, 0 pending or timed out);
 * r2: what {@code cancel} returned (1 true); r3: callbacks of the loop that threw so far (must
 * stay 0).
 */
@JCStressTest
@Description("chain a CompletableFuture into a LoopFuture, racing with the target's cancel")
@Outcome(id = "1, 0, 0", expect = Expect.ACCEPTABLE, desc = "the value arrived first; cancel returned false")
@Outcome(id = "2, 1, 0", expect = Expect.ACCEPTABLE, desc = "cancel came first; the late value was dropped")
@Outcome(expect = Expect.FORBIDDEN, desc = "pending, both, a failure, or a callback that threw")
@State
public class ChainCancelTest {

	private static final Futures FUTURES = Futures.of(SharedLoop.LOOP);

	private final CompletableFuture<Integer> source = new CompletableFuture<>();

	private final LoopFuture<Integer> target = SharedLoop.LOOP.newFuture();

	private boolean cancelReturned; // loop thread only

	public ChainCancelTest() {
		FUTURES.chain(this.source, this.target);
	}

	@Actor
	public void complete() {
		this.source.complete(42);
	}

	@Actor
	public void cancel() {
		SharedLoop.LOOP.execute(() -> this.cancelReturned = this.target.cancel("cancelled by the racing actor"));
	}

	@Arbiter
	public void arbiter(III_Result r) {
		int[] seen = new int[2];
		CountDownLatch read = new CountDownLatch(1);
		boolean ok = SharedLoop.drain(SharedLoop.LOOP);
		if (ok) {
			SharedLoop.LOOP.execute(() -> {
				if (!this.target.done()) {
					seen[0] = 0;
				}
				else if (this.target.cancelled()) {
					seen[0] = 2;
				}
				else if (this.target.exception() != null) {
					seen[0] = 3;
				}
				else {
					seen[0] = (this.target.result() == 42) ? 1 : 4;
				}
				seen[1] = this.cancelReturned ? 1 : 0;
				read.countDown();
			});
			ok = SharedLoop.await(read);
		}
		r.r1 = ok ? seen[0] : 0;
		r.r2 = ok ? seen[1] : 0;
		r.r3 = (int) SharedLoop.LOOP.statistics().callbacksFailed();
	}

}
