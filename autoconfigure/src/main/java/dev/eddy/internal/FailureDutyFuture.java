package dev.eddy.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import dev.eddy.unobserved.UnobservedFailureDetector;
import org.jspecify.annotations.Nullable;

/**
 * The duty of an {@link EddyCompletableFuture} to have its failure observed: the state (not
 * owed, owed and tracked by the detector, or observed) and the rules that change it (GC-2..GC-5).
 * Which JDK method triggers which rule is {@code EddyCompletableFuture}'s job; this class never
 * decides it. Every read here goes to the JDK's own methods ({@code super.}), so it observes
 * nothing and works on a {@link MinimalEddyStage}, whose public reads refuse.
 * <p>A superclass rather than a field: the duty is part of every tracked future and its
 * dependents, so a separate object would cost an allocation per future; and the JDK methods
 * that trigger the rules must be declared on {@code EddyCompletableFuture} itself (its contract
 * test checks each override there), so only the state and the rules can live here.
 * <p>Thread-safe: the state is one {@code volatile} field changed by compare-and-set.
 *
 * @param <T> the result type
 */
abstract class FailureDutyFuture<T extends @Nullable Object> extends CompletableFuture<T> {

	private static final Object OBSERVED = new Object();

	private static final VarHandle OBSERVATION;

	static {
		try {
			OBSERVATION = MethodHandles.lookup().findVarHandle(FailureDutyFuture.class, "observation", Object.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** Where an unobserved failure is reported; null: untracked. */
	final @Nullable UnobservedFailureDetector detector;

	final String source;

	/** How it introduces itself in reports, e.g. {@code CompletableFuture[source=Orders#load]}. */
	final String label;

	final @Nullable Throwable creationSite;

	/** For the dependent of {@code whenComplete}: the future whose failure its action saw. */
	private final @Nullable FailureDutyFuture<?> seenFailureOf;

	/** null: not observed and no tracker; {@link #OBSERVED}; or the live tracker. */
	@SuppressWarnings("unused") // through OBSERVATION
	private volatile @Nullable Object observation;

	FailureDutyFuture(@Nullable UnobservedFailureDetector detector, String source, String label,
			@Nullable Throwable creationSite, @Nullable FailureDutyFuture<?> seenFailureOf) {
		this.detector = detector;
		this.source = source;
		this.label = label;
		this.creationSite = creationSite;
		this.seenFailureOf = seenFailureOf;
	}

	/** @return the failure this future completed with, read without observing it, or null */
	final @Nullable Throwable peekFailure() {
		if (!super.isCompletedExceptionally()) {
			return null;
		}
		try {
			super.getNow(null);
			return null;
		}
		catch (CompletionException ex) {
			return (ex.getCause() != null) ? ex.getCause() : ex;
		}
		catch (CancellationException ex) {
			return ex;
		}
	}

	/**
	 * The future failed (or a dependent was found failed): the failure is owed, and tracked,
	 * unless it is a cancellation, already observed, or the very one a {@code whenComplete}
	 * action saw.
	 * @param ex the failure, possibly in a {@code CompletionException}
	 */
	final void failed(Throwable ex) {
		UnobservedFailureDetector tracking = this.detector;
		if (tracking == null || this.observation != null) {
			return; // untracked, observed, or tracked already (the watcher and adopt() may both get here)
		}
		Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
		if (cause instanceof CancellationException) {
			return; // a cancellation, even one relayed to a dependent, is never reported (GC-2)
		}
		FailureDutyFuture<?> seen = this.seenFailureOf;
		if (seen != null && cause == seen.peekFailure()) {
			markObserved(); // whenComplete's action saw this very exception
			return;
		}
		UnobservedFailureDetector.Tracker tracker = tracking.track(this, cause, this.source, this.label, this.creationSite);
		if (tracker != null && !OBSERVATION.compareAndSet(this, null, tracker)) {
			tracker.observed(); // observed meanwhile
		}
	}

	/** Marks the failure, present or future, as observed. */
	final void markObserved() {
		if (this.observation == OBSERVED) {
			return;
		}
		Object previous = OBSERVATION.getAndSet(this, OBSERVED);
		if (previous instanceof UnobservedFailureDetector.Tracker tracker) {
			tracker.observed();
		}
	}

	/** Marks the failure observed if the future is done: a read of a pending future observes nothing. */
	final void observeIfDone() {
		if (super.isDone()) {
			markObserved();
		}
	}

	/** An obtruded outcome replaces the failure a tracker watched: that failure is owed no more. */
	final void dropTracker() {
		Object current = this.observation;
		if (current instanceof UnobservedFailureDetector.Tracker tracker && OBSERVATION.compareAndSet(this, current, null)) {
			tracker.observed();
		}
	}

	/**
	 * The duty of another Eddy stage moves elsewhere (it is combined into, or relayed by, a
	 * dependent that carries it from then on).
	 * @param other any stage
	 */
	static void moveDuty(CompletionStage<?> other) {
		if (other instanceof FailureDutyFuture<?> eddy) {
			eddy.markObserved();
		}
	}

	/**
	 * The JDK completes a dependent of a future that is already done by writing its result
	 * directly, past every completion method and without running the dependent's own stack, so
	 * Eddy's watcher never runs: a dependent returned failed is tracked here.
	 * @param dependent the dependent the JDK returned
	 */
	static void adopt(CompletableFuture<?> dependent) {
		if (dependent instanceof FailureDutyFuture<?> eddy) {
			Throwable failure = eddy.peekFailure();
			if (failure != null) {
				eddy.failed(failure);
			}
		}
	}

	/**
	 * The JDK's state format, then Eddy's details, not observing and bounded:
	 * {@code CompletableFuture[source=Orders#load]@1b6d3586[Not completed](pending)},
	 * {@code ...[Completed normally](done: 42)},
	 * {@code ...[Completed exceptionally: java.io.IOException](failed: IOException: disk full)}.
	 * Like the JDK 25 format, the bracket names only the exception's class (the failure itself, not
	 * a {@code CompletionException} around it); Eddy's details show its message cut at
	 * {@link Describe#MAX} characters, safely even if it throws.
	 * @param dependents the number of dependents to show while pending
	 * @return the description
	 */
	final String describe(int dependents) {
		String name = (this.label.isEmpty() ? "CompletableFuture" : this.label) + "@"
				+ Integer.toHexString(System.identityHashCode(this));
		if (!super.isDone()) {
			return name + ((dependents == 0) ? "[Not completed]" : "[Not completed, " + dependents + " dependents]")
					+ "(pending)";
		}
		Throwable failure = peekFailure();
		if (failure == null) {
			return name + "[Completed normally](done: " + Describe.value(super.getNow(null)) + ")";
		}
		return name + "[Completed exceptionally: " + failure.getClass().getName() + "]"
				+ (super.isCancelled() ? "(cancelled)" : "(failed: " + Describe.exception(failure) + ")");
	}

}
