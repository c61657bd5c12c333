package dev.eddy.internal;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.eddy.loop.EventLoop;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.eddy.testsupport.GarbageCollection.awaitReports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What {@link EddyCompletableFutureTests}' method-by-method contract does not pin down: the
 * one-shot instruction a call leaves for the JDK's {@code newIncompleteFuture} never outlives
 * the call (not when the JDK refuses it, returns early, or runs the user's action inside it);
 * the duty of the other stage of a combination or composition moves too (CH-8); the Java 19
 * reads on every JDK; return values; obtruding; the guard against blocking the loop (DESIGN §6).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EddyCompletableFutureRulesTests {

	private final ConcurrentLinkedQueue<UnobservedFailure> reports = new ConcurrentLinkedQueue<>();

	private UnobservedFailureDetector detector;

	@BeforeEach
	void setUp() {
		this.detector = UnobservedFailureDetector.builder().listener(this.reports::add).build();
	}

	@AfterEach
	void tearDown() {
		this.detector.close();
	}

	private EddyCompletableFuture<String> tracked() {
		return EddyCompletableFuture.tracked(null, this.detector, "rules", EddyCompletableFuture.labelFor("rules"));
	}

	private EddyCompletableFuture<String> failed(String message) {
		EddyCompletableFuture<String> future = tracked();
		future.completeExceptionally(new IOException(message));
		return future;
	}

	/**
	 * A failed tracked future's {@code thenApply} dependent owes its failure, as CH-8 says: it is
	 * the probe for a one-shot instruction left behind (PLUMBING would make it a plain future,
	 * UNTRACKED would count its failure as seen).
	 */
	private void assertNoInstructionLeftBehind() {
		EddyCompletableFuture<String> probe = failed("probe");
		int before = this.detector.trackedCount();
		CompletableFuture<String> dependent = probe.thenApply((v) -> v);
		assertThat(dependent).as("a dependent made after the call").isInstanceOf(EddyCompletableFuture.class);
		assertThat(this.detector.trackedCount()).as("the probe's duty moved to its dependent, which owes it")
			.isEqualTo(before);
		assertThat(dependent.isCompletedExceptionally()).isTrue();
	}

	@Test
	@DisplayName("a call the JDK refuses (null action) leaves no instruction behind for the next dependent on this thread")
	void refusedCalls_leaveNoInstructionBehind() {
		EddyCompletableFuture<String> future = failed("kept");
		assertThatNullPointerException().isThrownBy(() -> future.whenComplete(null));
		assertNoInstructionLeftBehind();
		assertThatNullPointerException().isThrownBy(() -> future.whenCompleteAsync(null));
		assertNoInstructionLeftBehind();
		assertThatNullPointerException().isThrownBy(() -> future.whenCompleteAsync(null, Runnable::run));
		assertNoInstructionLeftBehind();
		assertThatNullPointerException().isThrownBy(() -> EddyCompletableFuture.whenCompleteWithoutObserving(future, null));
		assertNoInstructionLeftBehind();
		assertThatNullPointerException().isThrownBy(() -> future.orTimeout(1, null));
		assertNoInstructionLeftBehind();
		assertThatNullPointerException().isThrownBy(() -> future.completeOnTimeout("v", 1, null));
		assertNoInstructionLeftBehind();
	}

	@Test
	@DisplayName("orTimeout and completeOnTimeout on a done future (the JDK registers nothing) leave no instruction behind")
	void timeoutsOnADoneFuture_leaveNoInstructionBehind() {
		EddyCompletableFuture<String> done = tracked();
		done.complete("v");
		assertThat(done.orTimeout(1, TimeUnit.SECONDS)).isSameAs(done);
		assertNoInstructionLeftBehind();
		assertThat(done.completeOnTimeout("w", 1, TimeUnit.SECONDS)).isSameAs(done);
		assertNoInstructionLeftBehind();
	}

	@Test
	@DisplayName("an action the JDK runs inside the call (the future is done) sees no instruction: its own dependents are ordinary")
	void actionsRunInsideTheCall_seeNoInstruction() {
		EddyCompletableFuture<String> done = tracked();
		done.complete("v");
		AtomicReference<Throwable> failure = new AtomicReference<>();
		done.whenComplete((v, t) -> {
			try {
				assertNoInstructionLeftBehind();
			}
			catch (Throwable ex) {
				failure.set(ex);
			}
		});
		EddyCompletableFuture.whenCompleteWithoutObserving(done, (v, t) -> {
			try {
				assertNoInstructionLeftBehind();
			}
			catch (Throwable ex) {
				failure.compareAndSet(null, ex);
			}
		});
		EddyCompletableFuture<String> untracked = new EddyCompletableFuture<>(null);
		untracked.complete("v");
		untracked.whenComplete((v, t) -> {
			try {
				assertNoInstructionLeftBehind();
			}
			catch (Throwable ex) {
				failure.compareAndSet(null, ex);
			}
		});
		assertThat(failure.get()).isNull();
	}

	@Test
	@DisplayName("GC-5: whenCompleteWithoutObserving runs the action with the failure and neither observes nor adds a dependent")
	void whenCompleteWithoutObserving_runsWithoutObserving() {
		EddyCompletableFuture<String> future = failed("kept");
		AtomicReference<Throwable> seen = new AtomicReference<>();
		EddyCompletableFuture.whenCompleteWithoutObserving(future, (v, t) -> seen.set(t));
		assertThat(seen.get()).hasMessage("kept");
		assertThat(this.detector.trackedCount()).isEqualTo(1);
		CompletableFuture<String> plain = new CompletableFuture<>();
		EddyCompletableFuture.whenCompleteWithoutObserving(plain, (v, t) -> seen.set(null));
		plain.complete("v");
		assertThat(seen.get()).isNull();
	}

	@Test
	@DisplayName("observe(stage) discharges an Eddy future's duty and ignores any other stage")
	void observe_dischargesTheDuty() {
		EddyCompletableFuture<String> future = failed("seen elsewhere");
		EddyCompletableFuture.observe(CompletableFuture.completedFuture("plain"));
		assertThat(this.detector.trackedCount()).isEqualTo(1);
		EddyCompletableFuture.observe(future);
		assertThat(this.detector.trackedCount()).isZero();
	}

	@Test
	@DisplayName("CH-8: the other stage of thenCombine hands its duty to the dependent, which owes one failure")
	void combine_movesTheOtherStagesDuty() {
		EddyCompletableFuture<String> first = failed("first");
		EddyCompletableFuture<String> second = failed("second");
		assertThat(this.detector.trackedCount()).isEqualTo(2);
		CompletableFuture<String> both = first.thenCombine(second, (a, b) -> a + b);
		assertThat(both.isCompletedExceptionally()).isTrue();
		assertThat(this.detector.trackedCount()).as("first and second discharged, the dependent owing").isEqualTo(1);
	}

	@Test
	@DisplayName("CH-8: the stage a compose function returns is relayed into the dependent, so its own duty is discharged")
	void compose_movesTheReturnedStagesDuty() {
		EddyCompletableFuture<String> ok = tracked();
		ok.complete("v");
		EddyCompletableFuture<String> inner = failed("inner");
		CompletableFuture<String> composed = ok.thenCompose((v) -> inner);
		assertThat(composed.isCompletedExceptionally()).isTrue();
		assertThat(this.detector.trackedCount()).as("inner discharged, the dependent owing").isEqualTo(1);
		assertThat(ok.thenCompose((v) -> null).isCompletedExceptionally()).as("a null stage fails the dependent, as the JDK's")
			.isTrue();
	}

	@Test
	@DisplayName("completeExceptionally and cancel return what the JDK's return: true for the first completion only")
	void completionMethods_returnTheJdksAnswer() {
		EddyCompletableFuture<String> future = tracked();
		assertThat(future.completeExceptionally(new IOException("first"))).isTrue();
		assertThat(future.completeExceptionally(new IOException("second"))).isFalse();
		EddyCompletableFuture<String> pending = tracked();
		assertThat(pending.cancel(false)).isTrue();
		assertThat(pending.cancel(false)).as("already cancelled").isTrue();
		EddyCompletableFuture<String> done = tracked();
		done.complete("v");
		assertThat(done.cancel(true)).isFalse();
	}

	@Test
	@DisplayName("completeAsync with a supplier throwing a CompletionException: its cause is the failure, as the JDK's")
	void completeAsync_supplierThrowsCompletionException_keepsItsCause() throws Exception {
		IOException cause = new IOException("disk full");
		EddyCompletableFuture<String> future = tracked();
		future.completeAsync(() -> {
			throw new CompletionException(cause);
		}, Runnable::run);
		Throwable thrown = catchThrowable(future::get);
		assertThat(thrown).isInstanceOf(ExecutionException.class).hasCause(cause);
		CompletableFuture<String> jdk = new CompletableFuture<>();
		jdk.completeAsync(() -> {
			throw new CompletionException(cause);
		}, Runnable::run);
		assertThat(catchThrowable(jdk::get)).isInstanceOf(ExecutionException.class).hasCause(cause);
	}

	@Test
	@DisplayName("obtrudeException replaces the outcome, and the report names the new failure, not the one it replaced")
	void obtrudeException_replacesTheTrackedFailure() {
		EddyCompletableFuture<String> ok = tracked();
		ok.complete("v");
		ok.obtrudeException(new IOException("obtruded"));
		assertThat(ok.isCompletedExceptionally()).isTrue();
		assertThat(this.detector.trackedCount()).isEqualTo(1);
		assertThatExceptionOfType(CompletionException.class).isThrownBy(ok::join).withCauseInstanceOf(IOException.class);
		assertThat(this.detector.trackedCount()).isZero();
	}

	@Test
	@DisplayName("obtrudeException on a failed future: the old tracker is dropped and the new failure is the one reported")
	void obtrudeException_onAFailedFuture_reportsTheNewFailure() {
		obtrudeOnAFailedOneAndDropIt();
		awaitReports(this.reports, 1);
		assertThat(this.reports).singleElement().satisfies((report) -> assertThat(report.exception()).hasMessage("new"));
	}

	private void obtrudeOnAFailedOneAndDropIt() {
		EddyCompletableFuture<String> future = failed("old");
		future.obtrudeException(new IOException("new"));
		assertThat(this.detector.trackedCount()).isEqualTo(1);
	}

	@Test
	@DisplayName("whenComplete's dependent failing with the exception its action saw counts as observed, and stays so when obtruded")
	void whenCompleteDependent_seenFailure_staysObserved() {
		EddyCompletableFuture<String> future = failed("seen");
		CompletableFuture<String> dependent = future.whenComplete((v, t) -> {
		});
		assertThat(this.detector.trackedCount()).isZero();
		dependent.obtrudeException(new IOException("later"));
		assertThat(this.detector.trackedCount()).as("observed is for the present and future failure").isZero();
	}

	@Test
	@DisplayName("Java 19 resultNow() on every JDK: the result; refuses pending, cancelled and failed, observing the failure")
	void resultNow_observesAndRefuses() {
		EddyCompletableFuture<String> ok = tracked();
		assertThatIllegalStateException().isThrownBy(ok::resultNow).withMessage("Task has not completed");
		ok.complete("v");
		assertThat(ok.resultNow()).isEqualTo("v");
		EddyCompletableFuture<String> cancelled = tracked();
		cancelled.cancel(false);
		assertThatIllegalStateException().isThrownBy(cancelled::resultNow).withMessage("Task was cancelled");
		EddyCompletableFuture<String> failed = failed("read by resultNow");
		assertThatIllegalStateException().isThrownBy(failed::resultNow).withMessage("Task completed with exception");
		assertThat(this.detector.trackedCount()).isZero();
	}

	@Test
	@DisplayName("Java 19 exceptionNow() on every JDK: the failure unwrapped, observed; refuses pending, cancelled and a result")
	void exceptionNow_observesAndRefuses() {
		EddyCompletableFuture<String> pending = tracked();
		assertThatIllegalStateException().isThrownBy(pending::exceptionNow).withMessage("Task has not completed");
		EddyCompletableFuture<String> cancelled = tracked();
		cancelled.cancel(false);
		assertThatIllegalStateException().isThrownBy(cancelled::exceptionNow).withMessage("Task was cancelled");
		EddyCompletableFuture<String> ok = tracked();
		ok.complete("v");
		assertThatIllegalStateException().isThrownBy(ok::exceptionNow).withMessage("Task completed with a result");
		IOException cause = new IOException("read by exceptionNow");
		EddyCompletableFuture<String> failed = tracked();
		failed.completeExceptionally(cause);
		assertThat(this.detector.trackedCount()).isEqualTo(1);
		assertThat(failed.exceptionNow()).isSameAs(cause);
		assertThat(this.detector.trackedCount()).isZero();
	}

	@Test
	@DisplayName("DESIGN §6: get(), get(timeout) and join() on the completing loop's thread refuse while pending, work once done")
	void blockingReads_onTheCompletingLoop_refuseWhilePending() throws Exception {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("guard").onCurrentThread();
		try {
			EddyCompletableFuture<String> future = new EddyCompletableFuture<>(loop);
			String fix = " on CompletableFuture(pending) from the thread of EventLoop 'guard', which must complete it,"
					+ " would deadlock; use thenAccept/whenComplete or the LoopFuture instead";
			assertThatIllegalStateException().isThrownBy(future::get).withMessage("get()" + fix);
			assertThatIllegalStateException().isThrownBy(() -> future.get(1, TimeUnit.MILLISECONDS))
				.withMessage("get(timeout)" + fix);
			assertThatIllegalStateException().isThrownBy(future::join).withMessage("join()" + fix);
			future.complete("v");
			assertThat(future.get()).isEqualTo("v");
			assertThat(future.get(1, TimeUnit.MILLISECONDS)).isEqualTo("v");
			assertThat(future.join()).isEqualTo("v");
			EddyCompletableFuture<String> other = new EddyCompletableFuture<>(loop);
			CompletableFuture<Throwable> offLoop = CompletableFuture.supplyAsync(
					() -> catchThrowable(() -> other.get(20, TimeUnit.MILLISECONDS)), (r) -> new Thread(r).start());
			assertThat(offLoop.get(10, TimeUnit.SECONDS)).as("another thread may wait").isInstanceOf(java.util.concurrent.TimeoutException.class);
		}
		finally {
			loop.close();
		}
		EddyCompletableFuture<String> unbound = new EddyCompletableFuture<>(null);
		assertThatExceptionOfType(java.util.concurrent.TimeoutException.class)
			.isThrownBy(() -> unbound.get(1, TimeUnit.MILLISECONDS));
		assertThat(catchThrowable(() -> {
			EddyCompletableFuture<String> c = new EddyCompletableFuture<>(null);
			c.cancel(false);
			c.join();
		})).isInstanceOf(CancellationException.class);
	}

}
