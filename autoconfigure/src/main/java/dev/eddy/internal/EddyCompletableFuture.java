package dev.eddy.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.eddy.unobserved.UnobservedFailureDetector;
import org.jspecify.annotations.Nullable;

/**
 * The {@code CompletableFuture}s Eddy hands out. Two additions to the JDK class:
 * <ul>
 * <li><b>Unobserved failures are reported.</b> A failure nobody observes is reported when the
 * future is collected, like a {@code LoopFuture}'s. Observing means {@code get}, {@code join},
 * {@code getNow} and {@code resultNow}/{@code exceptionNow} on a done future, or registering
 * {@code whenComplete*}, {@code handle*} or {@code exceptionally*}; {@code then*},
 * {@code *Both}, {@code *Either} and {@code copy} move the duty to the dependent future they
 * return, which is tracked in turn. {@code isDone}, {@code isCompletedExceptionally} and
 * {@code toString} do not observe. The dependent of {@code whenComplete*} is tracked, but
 * failing with the very exception the action already saw counts as observed.</li>
 * <li><b>No deadlock on the loop.</b> {@code get} and {@code join} throw
 * {@link IllegalStateException} on the thread of the loop that must complete the future while
 * it is incomplete.</li>
 * </ul>
 * <p>{@code resultNow()} and {@code exceptionNow()} (Java 19+) are declared here so that they
 * observe on newer JDKs too; they are not overrides when compiled for Java 17.
 * <p>This class says which JDK method observes, moves the duty to a dependent, or is plumbing;
 * the duty's state and rules are {@link FailureDutyFuture}'s, and the minimal stage is
 * {@link MinimalEddyStage}. The overrides stay here, one per public method of the JDK class,
 * because that is the surface the contract test checks method by method.
 * <p>Thread-safe.
 *
 * @param <T> the result type
 */
public class EddyCompletableFuture<T extends @Nullable Object> extends FailureDutyFuture<T> {

	/** One-shot instruction to the next {@link #newIncompleteFuture()} on this thread. */
	private static final ThreadLocal<@Nullable DependentKind> NEXT_DEPENDENT = new ThreadLocal<>();

	private enum DependentKind {

		/** Internal plumbing: a plain {@code CompletableFuture} that nobody outside sees. */
		PLUMBING,

		/** Handed out by {@code whenComplete}: a failure its action already saw counts as observed. */
		UNTRACKED,

		/** Handed out by {@code minimalCompletionStage}: tracked, and minimal like the JDK's. */
		MINIMAL,

		/** Handed out by a minimal stage's {@code toCompletableFuture}: tracked, and complete. */
		FULL

	}

	private final @Nullable DefaultEventLoop completingLoop;

	/**
	 * Whether Eddy's own watcher (see {@link #newIncompleteFuture()}) is on this future's stack
	 * of dependents and has not run yet: {@link #getNumberOfDependents()} does not count it.
	 */
	private volatile boolean watcherPending;

	/**
	 * An untracked future, guarded against blocking its completing loop.
	 * @param completingLoop the loop that completes it, or null
	 */
	public EddyCompletableFuture(@Nullable DefaultEventLoop completingLoop) {
		this(completingLoop, null, "", "", null, null);
	}

	EddyCompletableFuture(@Nullable DefaultEventLoop completingLoop, @Nullable UnobservedFailureDetector detector,
			String source, String label, @Nullable Throwable creationSite, @Nullable EddyCompletableFuture<?> seenFailureOf) {
		super(detector, source, label, creationSite, seenFailureOf);
		this.completingLoop = completingLoop;
	}

	/**
	 * The label of Eddy's futures made for a source, built once per source by the caller.
	 * @param source the loop name or {@code Class#method}
	 * @return e.g. {@code CompletableFuture[source=Orders#load]}
	 */
	public static String labelFor(String source) {
		return "CompletableFuture[source=" + source + "]";
	}

	/**
	 * A future whose unobserved failure is reported.
	 * @param <T> the result type
	 * @param completingLoop the loop that completes it, or null
	 * @param detector where an unobserved failure is reported
	 * @param source the loop name or {@code Class#method} that made it
	 * @return the future
	 */
	public static <T extends @Nullable Object> EddyCompletableFuture<T> tracked(@Nullable DefaultEventLoop completingLoop,
			UnobservedFailureDetector detector, String source, String label) {
		return new EddyCompletableFuture<>(completingLoop, detector, source, label, detector.creationSite(), null);
	}

	/**
	 * {@code stage.whenComplete(action)}, except that on an Eddy future it neither observes nor
	 * hands out a dependent: registering a callback is not observing (GC-5).
	 * @param <T> the result type
	 * @param stage the stage
	 * @param action the action
	 */
	@SuppressWarnings("unchecked")
	public static <T extends @Nullable Object> void whenCompleteWithoutObserving(CompletionStage<T> stage,
			BiConsumer<? super T, ? super Throwable> action) {
		if (stage instanceof EddyCompletableFuture<?> eddy) {
			((EddyCompletableFuture<T>) eddy).listen(action);
		}
		else {
			stage.whenComplete(action);
		}
	}

	/**
	 * Marks a stage's failure observed if it is an Eddy future (its duty moved elsewhere).
	 * @param stage any stage
	 */
	public static void observe(CompletionStage<?> stage) {
		if (stage instanceof EddyCompletableFuture<?> eddy) {
			eddy.markObserved();
		}
	}

	// ---------------------------------------------------------------- tracking

	@Override
	public boolean completeExceptionally(Throwable ex) {
		boolean won = super.completeExceptionally(ex);
		if (won) {
			failed(ex);
		}
		return won;
	}

	@Override
	public void obtrudeException(Throwable ex) {
		super.obtrudeException(ex);
		dropTracker();
		failed(ex);
	}

	@Override
	public void obtrudeValue(T value) {
		super.obtrudeValue(value);
		dropTracker();
	}

	/**
	 * The duty of this future moves to a dependent the JDK made: called after the JDK's method
	 * returned, so that a call the JDK refuses ({@code NullPointerException}) observes nothing.
	 */
	private <D extends CompletableFuture<?>> D dependent(D dependent) {
		markObserved();
		adopt(dependent);
		return dependent;
	}

	private <D extends CompletableFuture<?>> D dependent(D dependent, CompletionStage<?> other) {
		moveDuty(other);
		return dependent(dependent);
	}

	/**
	 * The stage a compose function returns is relayed into the dependent by the JDK, which
	 * carries its failure from then on: that stage's own duty is discharged.
	 */
	private static <A, S extends CompletionStage<?>> Function<A, S> composing(Function<A, S> fn) {
		Objects.requireNonNull(fn, "fn"); // wrapped, a null function would no longer be refused
		return (argument) -> {
			S stage = fn.apply(argument);
			if (stage != null) {
				moveDuty(stage);
			}
			return stage;
		};
	}

	/**
	 * Registers an action without observing and without handing out a dependent: for Eddy's own
	 * plumbing (chaining, views).
	 * @param action the action
	 */
	void listen(BiConsumer<? super T, ? super Throwable> action) {
		NEXT_DEPENDENT.set(DependentKind.PLUMBING);
		try {
			super.whenComplete(action);
		}
		finally {
			NEXT_DEPENDENT.remove();
		}
	}

	@Override
	public <U> CompletableFuture<U> newIncompleteFuture() {
		DependentKind kind = NEXT_DEPENDENT.get();
		if (kind == DependentKind.PLUMBING) {
			NEXT_DEPENDENT.remove();
			return new CompletableFuture<>();
		}
		UnobservedFailureDetector tracking = this.detector;
		if (tracking == null) {
			NEXT_DEPENDENT.remove();
			return new EddyCompletableFuture<>(this.completingLoop);
		}
		EddyCompletableFuture<?> seen = (kind == DependentKind.UNTRACKED) ? this : null;
		NEXT_DEPENDENT.remove();
		boolean minimal = (kind == DependentKind.MINIMAL) || (kind != DependentKind.FULL && this instanceof MinimalEddyStage);
		EddyCompletableFuture<U> dependent = minimal
				? new MinimalEddyStage<>(this.completingLoop, tracking, this.source, this.label, this.creationSite)
				: new EddyCompletableFuture<>(this.completingLoop, tracking, this.source, this.label, this.creationSite, seen);
		// The JDK completes dependents internally, past completeExceptionally: watch it.
		dependent.watcherPending = true;
		dependent.listen((value, failure) -> {
			dependent.watcherPending = false;
			if (failure != null) {
				dependent.failed(failure);
			}
		});
		return dependent;
	}

	/**
	 * The JDK's count, without Eddy's own watcher of a dependent's failure: a fresh dependent has
	 * none, as the JDK says.
	 * @return the estimated number of futures and actions waiting for this one
	 */
	@Override
	public int getNumberOfDependents() {
		return dependents();
	}

	private int dependents() {
		int count = super.getNumberOfDependents();
		return this.watcherPending ? Math.max(0, count - 1) : count;
	}

	// ---------------------------------------------------------------- observing reads

	@Override
	public T get() throws InterruptedException, ExecutionException {
		checkNotBlockingLoop("get()");
		try {
			return super.get();
		}
		finally {
			observeIfDone();
		}
	}

	@Override
	public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
		checkNotBlockingLoop("get(timeout)");
		try {
			return super.get(timeout, unit);
		}
		finally {
			observeIfDone();
		}
	}

	@Override
	public T join() {
		checkNotBlockingLoop("join()");
		try {
			return super.join();
		}
		finally {
			observeIfDone();
		}
	}

	@Override
	public T getNow(T valueIfAbsent) {
		try {
			return super.getNow(valueIfAbsent);
		}
		finally {
			observeIfDone();
		}
	}

	/**
	 * Java 19 {@code resultNow()}, observing.
	 * @return the result
	 * @throws IllegalStateException if not completed with a result
	 */
	public T resultNow() {
		if (!isDone()) {
			throw new IllegalStateException("Task has not completed");
		}
		markObserved();
		if (isCancelled()) {
			throw new IllegalStateException("Task was cancelled");
		}
		if (isCompletedExceptionally()) {
			throw new IllegalStateException("Task completed with exception");
		}
		return super.getNow(null);
	}

	/**
	 * Java 19 {@code exceptionNow()}, observing.
	 * @return the exception, unwrapped from one {@link CompletionException}
	 * @throws IllegalStateException if not completed with an exception
	 */
	public Throwable exceptionNow() {
		if (!isDone()) {
			throw new IllegalStateException("Task has not completed");
		}
		if (isCancelled()) {
			throw new IllegalStateException("Task was cancelled");
		}
		if (!isCompletedExceptionally()) {
			throw new IllegalStateException("Task completed with a result");
		}
		markObserved();
		try {
			super.getNow(null);
			throw new IllegalStateException("Task completed with a result");
		}
		catch (CompletionException ex) {
			return (ex.getCause() != null) ? ex.getCause() : ex;
		}
	}

	private void checkNotBlockingLoop(String method) {
		DefaultEventLoop loop = this.completingLoop;
		if (loop != null && !super.isDone() && loop.inLoopThread()) {
			String name = this.label.isEmpty() ? "CompletableFuture" : this.label;
			throw new IllegalStateException(method + " on " + name + "(pending) from the thread of EventLoop '" + loop.name
					+ "', which must complete it, would deadlock; use thenAccept/whenComplete or the LoopFuture instead");
		}
	}

	/**
	 * The JDK's state format, then Eddy's details, not observing and bounded (see
	 * {@link FailureDutyFuture#describe}), e.g.
	 * {@code CompletableFuture[source=Orders#load]@1b6d3586[Completed normally](done: 42)}.
	 */
	@Override
	public String toString() {
		return describe(dependents());
	}

	// ---------------------------------------------------------------- completion the JDK does internally

	/**
	 * As the JDK's, except that a failure of the supplier is reported like any other: the JDK
	 * completes the future past {@code completeExceptionally}, where Eddy would not see it.
	 */
	@Override
	public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
		return super.completeAsync(supplying(supplier), executor);
	}

	@Override
	public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
		return super.completeAsync(supplying(supplier));
	}

	private Supplier<T> supplying(Supplier<? extends T> supplier) {
		Objects.requireNonNull(supplier, "supplier");
		return () -> {
			try {
				return supplier.get();
			}
			catch (Throwable ex) {
				completeExceptionally((ex instanceof CompletionException) ? ex : new CompletionException(ex));
				throw ex;
			}
		};
	}

	/**
	 * As the JDK's; the watch the JDK registers to cancel the timer is plumbing, so the call does
	 * not observe, and a {@code TimeoutException} or a failure nobody reads is reported (GC-5).
	 */
	@Override
	public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
		NEXT_DEPENDENT.set(DependentKind.PLUMBING);
		try {
			return super.orTimeout(timeout, unit);
		}
		finally {
			NEXT_DEPENDENT.remove();
		}
	}

	@Override
	public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
		NEXT_DEPENDENT.set(DependentKind.PLUMBING);
		try {
			return super.completeOnTimeout(value, timeout, unit);
		}
		finally {
			NEXT_DEPENDENT.remove();
		}
	}

	/**
	 * Cancelling observes, even a future that has already failed and is not cancelled (GC-4).
	 */
	@Override
	public boolean cancel(boolean mayInterruptIfRunning) {
		boolean cancelled = super.cancel(mayInterruptIfRunning);
		markObserved();
		return cancelled;
	}

	/**
	 * A minimal stage that carries this future's duty: a failure nobody observes through it is
	 * reported as this future's, and a failure observed through it is not reported at all.
	 * @return a tracked stage that refuses the methods of {@code CompletableFuture}, as the JDK's
	 */
	@Override
	public CompletionStage<T> minimalCompletionStage() {
		NEXT_DEPENDENT.set(DependentKind.MINIMAL);
		try {
			return dependent(super.copy());
		}
		finally {
			NEXT_DEPENDENT.remove();
		}
	}

	// ---------------------------------------------------------------- observing registrations

	@Override
	public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
		if (NEXT_DEPENDENT.get() == DependentKind.PLUMBING) {
			return super.whenComplete(action); // the JDK's own plumbing (orTimeout, completeOnTimeout)
		}
		NEXT_DEPENDENT.set(DependentKind.UNTRACKED);
		try {
			return dependent(super.whenComplete(action));
		}
		finally {
			NEXT_DEPENDENT.remove();
		}
	}

	@Override
	public CompletableFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action) {
		NEXT_DEPENDENT.set(DependentKind.UNTRACKED);
		try {
			return dependent(super.whenCompleteAsync(action));
		}
		finally {
			NEXT_DEPENDENT.remove();
		}
	}

	@Override
	public CompletableFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action, Executor executor) {
		NEXT_DEPENDENT.set(DependentKind.UNTRACKED);
		try {
			return dependent(super.whenCompleteAsync(action, executor));
		}
		finally {
			NEXT_DEPENDENT.remove();
		}
	}

	@Override
	public <U> CompletableFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
		return dependent(super.handle(fn));
	}

	@Override
	public <U> CompletableFuture<U> handleAsync(BiFunction<? super T, Throwable, ? extends U> fn) {
		return dependent(super.handleAsync(fn));
	}

	@Override
	public <U> CompletableFuture<U> handleAsync(BiFunction<? super T, Throwable, ? extends U> fn, Executor executor) {
		return dependent(super.handleAsync(fn, executor));
	}

	@Override
	public CompletableFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
		return dependent(super.exceptionally(fn));
	}

	@Override
	public CompletableFuture<T> exceptionallyAsync(Function<Throwable, ? extends T> fn) {
		return dependent(super.exceptionallyAsync(fn));
	}

	@Override
	public CompletableFuture<T> exceptionallyAsync(Function<Throwable, ? extends T> fn, Executor executor) {
		return dependent(super.exceptionallyAsync(fn, executor));
	}

	@Override
	public CompletableFuture<T> exceptionallyCompose(Function<Throwable, ? extends CompletionStage<T>> fn) {
		return dependent(super.exceptionallyCompose(composing(fn)));
	}

	@Override
	public CompletableFuture<T> exceptionallyComposeAsync(Function<Throwable, ? extends CompletionStage<T>> fn) {
		return dependent(super.exceptionallyComposeAsync(composing(fn)));
	}

	@Override
	public CompletableFuture<T> exceptionallyComposeAsync(Function<Throwable, ? extends CompletionStage<T>> fn,
			Executor executor) {
		return dependent(super.exceptionallyComposeAsync(composing(fn), executor));
	}

	// ---------------------------------------------------------------- duty moves to the dependent

	@Override
	public <U> CompletableFuture<U> thenApply(Function<? super T, ? extends U> fn) {
		return dependent(super.thenApply(fn));
	}

	@Override
	public <U> CompletableFuture<U> thenApplyAsync(Function<? super T, ? extends U> fn) {
		return dependent(super.thenApplyAsync(fn));
	}

	@Override
	public <U> CompletableFuture<U> thenApplyAsync(Function<? super T, ? extends U> fn, Executor executor) {
		return dependent(super.thenApplyAsync(fn, executor));
	}

	@Override
	public CompletableFuture<Void> thenAccept(Consumer<? super T> action) {
		return dependent(super.thenAccept(action));
	}

	@Override
	public CompletableFuture<Void> thenAcceptAsync(Consumer<? super T> action) {
		return dependent(super.thenAcceptAsync(action));
	}

	@Override
	public CompletableFuture<Void> thenAcceptAsync(Consumer<? super T> action, Executor executor) {
		return dependent(super.thenAcceptAsync(action, executor));
	}

	@Override
	public CompletableFuture<Void> thenRun(Runnable action) {
		return dependent(super.thenRun(action));
	}

	@Override
	public CompletableFuture<Void> thenRunAsync(Runnable action) {
		return dependent(super.thenRunAsync(action));
	}

	@Override
	public CompletableFuture<Void> thenRunAsync(Runnable action, Executor executor) {
		return dependent(super.thenRunAsync(action, executor));
	}

	@Override
	public <U, V> CompletableFuture<V> thenCombine(CompletionStage<? extends U> other,
			BiFunction<? super T, ? super U, ? extends V> fn) {
		return dependent(super.thenCombine(other, fn), other);
	}

	@Override
	public <U, V> CompletableFuture<V> thenCombineAsync(CompletionStage<? extends U> other,
			BiFunction<? super T, ? super U, ? extends V> fn) {
		return dependent(super.thenCombineAsync(other, fn), other);
	}

	@Override
	public <U, V> CompletableFuture<V> thenCombineAsync(CompletionStage<? extends U> other,
			BiFunction<? super T, ? super U, ? extends V> fn, Executor executor) {
		return dependent(super.thenCombineAsync(other, fn, executor), other);
	}

	@Override
	public <U> CompletableFuture<Void> thenAcceptBoth(CompletionStage<? extends U> other,
			BiConsumer<? super T, ? super U> action) {
		return dependent(super.thenAcceptBoth(other, action), other);
	}

	@Override
	public <U> CompletableFuture<Void> thenAcceptBothAsync(CompletionStage<? extends U> other,
			BiConsumer<? super T, ? super U> action) {
		return dependent(super.thenAcceptBothAsync(other, action), other);
	}

	@Override
	public <U> CompletableFuture<Void> thenAcceptBothAsync(CompletionStage<? extends U> other,
			BiConsumer<? super T, ? super U> action, Executor executor) {
		return dependent(super.thenAcceptBothAsync(other, action, executor), other);
	}

	@Override
	public CompletableFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
		return dependent(super.runAfterBoth(other, action), other);
	}

	@Override
	public CompletableFuture<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action) {
		return dependent(super.runAfterBothAsync(other, action), other);
	}

	@Override
	public CompletableFuture<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action, Executor executor) {
		return dependent(super.runAfterBothAsync(other, action, executor), other);
	}

	@Override
	public <U> CompletableFuture<U> applyToEither(CompletionStage<? extends T> other, Function<? super T, U> fn) {
		return dependent(super.applyToEither(other, fn), other);
	}

	@Override
	public <U> CompletableFuture<U> applyToEitherAsync(CompletionStage<? extends T> other, Function<? super T, U> fn) {
		return dependent(super.applyToEitherAsync(other, fn), other);
	}

	@Override
	public <U> CompletableFuture<U> applyToEitherAsync(CompletionStage<? extends T> other, Function<? super T, U> fn,
			Executor executor) {
		return dependent(super.applyToEitherAsync(other, fn, executor), other);
	}

	@Override
	public CompletableFuture<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
		return dependent(super.acceptEither(other, action), other);
	}

	@Override
	public CompletableFuture<Void> acceptEitherAsync(CompletionStage<? extends T> other, Consumer<? super T> action) {
		return dependent(super.acceptEitherAsync(other, action), other);
	}

	@Override
	public CompletableFuture<Void> acceptEitherAsync(CompletionStage<? extends T> other, Consumer<? super T> action,
			Executor executor) {
		return dependent(super.acceptEitherAsync(other, action, executor), other);
	}

	@Override
	public CompletableFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
		return dependent(super.runAfterEither(other, action), other);
	}

	@Override
	public CompletableFuture<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action) {
		return dependent(super.runAfterEitherAsync(other, action), other);
	}

	@Override
	public CompletableFuture<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action, Executor executor) {
		return dependent(super.runAfterEitherAsync(other, action, executor), other);
	}

	@Override
	public <U> CompletableFuture<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
		return dependent(super.thenCompose(composing(fn)));
	}

	@Override
	public <U> CompletableFuture<U> thenComposeAsync(Function<? super T, ? extends CompletionStage<U>> fn) {
		return dependent(super.thenComposeAsync(composing(fn)));
	}

	@Override
	public <U> CompletableFuture<U> thenComposeAsync(Function<? super T, ? extends CompletionStage<U>> fn,
			Executor executor) {
		return dependent(super.thenComposeAsync(composing(fn), executor));
	}

	@Override
	public CompletableFuture<T> copy() {
		return dependent(super.copy());
	}

	/**
	 * A minimal stage's {@code toCompletableFuture}: a complete, tracked copy the duty moves to
	 * (a minimal stage's own dependents would be minimal).
	 * @return the copy
	 */
	final CompletableFuture<T> completeCopy() {
		NEXT_DEPENDENT.set(DependentKind.FULL);
		try {
			return copy();
		}
		finally {
			NEXT_DEPENDENT.remove();
		}
	}

}
