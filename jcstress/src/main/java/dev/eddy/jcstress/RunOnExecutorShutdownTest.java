package dev.eddy.jcstress;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.internal.Dispatcher;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The hand-off behind a {@code CompletableFuture}-returning {@code @RunOnExecutor} method (the
 * aspect's {@link Dispatcher}, without Spring) racing with the shutdown of its executor. The
 * future must end done exactly one way (success, rejected, or cancelled by the shutdown), and the
 * executor must account for the task exactly once: succeeded + failed + abandoned + rejected = 1.
 * <p>r1: 1 success, 2 rejected, 3 cancelled by the shutdown, 4 another failure, 0 still pending
 * after {@link SharedLoop#WAIT_MILLIS}; r2: the executor's count of the task.
 */
@JCStressTest
@Description("@RunOnExecutor completion racing with the executor's shutdown: done once, counted once")
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "ran before the shutdown")
@Outcome(id = "2, 1", expect = Expect.ACCEPTABLE, desc = "submitted after the shutdown: rejected")
@Outcome(id = "3, 1", expect = Expect.ACCEPTABLE, desc = "queued, then abandoned by the shutdown: cancelled")
@Outcome(expect = Expect.FORBIDDEN, desc = "pending, another failure, or the task counted twice or never")
@State
public class RunOnExecutorShutdownTest {

	private static final Dispatcher DISPATCHER = new Dispatcher(SharedLoop.LOOP,
			UnobservedFailureDetector.builder().level(UnobservedFailureDetector.Level.DISABLED).build(), null);

	private final NamedExecutor executor = NamedExecutor
		.create(ExecutorSpec.builder("race").maxSize(1).queueCapacity(1).awaitTermination(Duration.ZERO).build());

	private volatile CompletableFuture<?> future;

	@Actor
	public void call() {
		this.future = (CompletableFuture<?>) DISPATCHER.dispatch(Dispatcher.ReturnKind.COMPLETABLE_FUTURE, this.executor,
				"RunOnExecutorShutdownTest#call", () -> CompletableFuture.completedFuture("done"));
	}

	@Actor
	public void shutdown() {
		this.executor.close();
	}

	@Arbiter
	public void arbiter(II_Result r) {
		r.r1 = outcome(this.future);
		r.r2 = (int) (this.executor.succeededCount() + this.executor.failedCount() + this.executor.abandonedCount()
				+ this.executor.rejectedCount());
	}

	private static int outcome(CompletableFuture<?> future) {
		try {
			future.get(SharedLoop.WAIT_MILLIS, TimeUnit.MILLISECONDS);
			return 1;
		}
		catch (CancellationException ex) {
			return 3;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RejectedExecutionException) {
				return 2;
			}
			return (ex.getCause() instanceof CancellationException) ? 3 : 4;
		}
		catch (TimeoutException ex) {
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

}
