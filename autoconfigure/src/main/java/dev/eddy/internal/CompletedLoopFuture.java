package dev.eddy.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import dev.eddy.concurrent.ExcInfo;
import dev.eddy.concurrent.InvalidStateException;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.jspecify.annotations.Nullable;

/**
 * An immutable future that is done from birth: {@code LoopFuture.completed(v)} and
 * {@code LoopFuture.failed(t)}. It is bound to no loop; callbacks go to the calling thread's
 * loop. A failure is tracked by the current loop's detector (or the global one) like any other.
 * <p>Thread-safe.
 *
 * @param <T> the result type
 */
public final class CompletedLoopFuture<T extends @Nullable Object> implements LoopFuture<T> {

	private static final String LABEL = "LoopFuture[completed]";

	private static final String VIEW_LABEL = "CompletableFuture[source=LoopFuture.failed]";

	private static final VarHandle TRACKER;

	static {
		try {
			TRACKER = MethodHandles.lookup().findVarHandle(CompletedLoopFuture.class, "tracker",
					UnobservedFailureDetector.Tracker.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final @Nullable T value;

	private final @Nullable Throwable exception;

	@SuppressWarnings("unused") // through TRACKER
	private volatile UnobservedFailureDetector.@Nullable Tracker tracker;

	private volatile @Nullable RuntimeException wrapper;

	private volatile @Nullable ExcInfo excInfo;

	private CompletedLoopFuture(@Nullable T value, @Nullable Throwable exception) {
		this.value = value;
		this.exception = exception;
	}

	/**
	 * A future done with a result.
	 * @param <T> the result type
	 * @param value the result
	 * @return the future
	 */
	public static <T extends @Nullable Object> LoopFuture<T> success(T value) {
		return new CompletedLoopFuture<>(value, null);
	}

	/**
	 * A future done with a failure, tracked for observation.
	 * @param <T> the result type
	 * @param exception the failure
	 * @return the future
	 */
	public static <T extends @Nullable Object> LoopFuture<T> failure(Throwable exception) {
		Objects.requireNonNull(exception, "exception");
		CompletedLoopFuture<T> future = new CompletedLoopFuture<>(null, exception);
		DefaultEventLoop loop = DefaultEventLoop.currentOrNull();
		UnobservedFailureDetector detector = (loop != null) ? loop.detector : UnobservedFailureDetector.global();
		String source = (loop != null) ? loop.name : Thread.currentThread().getName();
		future.tracker = detector.track(future, exception, source, LABEL, detector.creationSite());
		return future;
	}

	@Override
	public EventLoop loop() {
		return DefaultEventLoop.current();
	}

	@Override
	public boolean done() {
		return true;
	}

	@Override
	public boolean cancelled() {
		return false;
	}

	@Override
	public boolean running() {
		return false;
	}

	@Override
	@SuppressWarnings("unchecked")
	public T result() {
		Throwable failure = this.exception;
		if (failure == null) {
			return Nullness.result(this.value);
		}
		observe();
		RuntimeException unchecked = Throwables.uncheckedOrNull(failure);
		if (unchecked != null) {
			throw unchecked;
		}
		RuntimeException wrapped = this.wrapper;
		if (wrapped == null) {
			synchronized (this) {
				wrapped = this.wrapper;
				if (wrapped == null) {
					wrapped = new CompletionException(failure);
					this.wrapper = wrapped;
				}
			}
		}
		throw wrapped;
	}

	@Override
	public @Nullable Throwable exception() {
		observe();
		return this.exception;
	}

	@Override
	public @Nullable ExcInfo excInfo() {
		Throwable failure = this.exception;
		if (failure == null) {
			return null;
		}
		observe();
		ExcInfo info = this.excInfo;
		if (info == null) {
			info = ExcInfo.of(failure);
			this.excInfo = info; // a race makes two equal values; either is fine
		}
		return info;
	}

	/** @return the failure, read without observing it (the duty stays until {@link #observe()}), or null */
	@Nullable Throwable peekFailure() {
		return this.exception;
	}

	/** Marks the failure observed: its duty moved to a future it was copied into (CH-8). Any thread. */
	void observe() {
		UnobservedFailureDetector.Tracker current = (UnobservedFailureDetector.Tracker) TRACKER.getAndSet(this, null);
		if (current != null) {
			current.observed();
		}
	}

	@Override
	public void addDoneCallback(Consumer<? super LoopFuture<T>> callback) {
		Objects.requireNonNull(callback, "callback");
		DefaultEventLoop loop = DefaultEventLoop.currentOrNull();
		if (loop == null) {
			throw new IllegalStateException("addDoneCallback on " + this + " needs a current loop to run the callback, but thread '"
					+ Thread.currentThread().getName() + "' runs none; call it on a loop thread or use toCompletableFuture()");
		}
		loop.execute(new DoneCallbackInvocation<>(callback, this));
	}

	@Override
	public int removeDoneCallback(Consumer<? super LoopFuture<T>> callback) {
		Objects.requireNonNull(callback, "callback");
		return 0;
	}

	@Override
	public void setResult(T value) {
		throw alreadyDone("setResult");
	}

	@Override
	public void setException(Throwable exception) {
		Objects.requireNonNull(exception, "exception");
		throw alreadyDone("setException");
	}

	@Override
	public void setExcInfo(ExcInfo excInfo) {
		Objects.requireNonNull(excInfo, "excInfo");
		if (excInfo.value() == null) {
			throw new IllegalArgumentException("setExcInfo called with no exception");
		}
		throw alreadyDone("setExcInfo");
	}

	private InvalidStateException alreadyDone(String method) {
		return new InvalidStateException(method + " on " + this + ": the future is already done and keeps its first outcome; "
				+ "LoopFuture.completed/failed futures are immutable");
	}

	@Override
	public boolean cancel() {
		return cancel(null);
	}

	@Override
	public boolean cancel(@Nullable String message) {
		if (this.exception != null) {
			observe(); // GC-4
		}
		return false;
	}

	@Override
	public CompletableFuture<T> toCompletableFuture() {
		Throwable failure = this.exception;
		DefaultEventLoop loop = DefaultEventLoop.currentOrNull();
		EddyCompletableFuture<T> view = (failure == null) ? new EddyCompletableFuture<>(null)
				: EddyCompletableFuture.tracked(null, (loop != null) ? loop.detector : UnobservedFailureDetector.global(),
						(loop != null) ? loop.name : Thread.currentThread().getName(), VIEW_LABEL);
		if (failure == null) {
			view.complete(this.value);
		}
		else {
			observe();
			view.completeExceptionally(failure);
		}
		return view;
	}

	@Override
	public String toString() {
		Throwable failure = this.exception;
		return LABEL + ((failure != null) ? "(failed: " + Describe.exception(failure) + ")"
				: "(done: " + Describe.value(this.value) + ")");
	}

	/** A done-callback scheduled on the caller's loop (CB-3); a throw is logged like any callback's (CB-9). */
	private static final class DoneCallbackInvocation<T extends @Nullable Object> implements Runnable {

		private final Consumer<? super LoopFuture<T>> callback;

		private final LoopFuture<T> future;

		DoneCallbackInvocation(Consumer<? super LoopFuture<T>> callback, LoopFuture<T> future) {
			this.callback = callback;
			this.future = future;
		}

		@Override
		public void run() {
			this.callback.accept(this.future);
		}

		@Override
		public String toString() {
			return this.callback + " for " + this.future;
		}

	}

}
