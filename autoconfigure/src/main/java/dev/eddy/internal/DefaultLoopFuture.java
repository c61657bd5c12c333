package dev.eddy.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import dev.eddy.concurrent.ExcInfo;
import dev.eddy.concurrent.InvalidStateException;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.jspecify.annotations.Nullable;

/**
 * The loop-bound future. Four fields and no synchronization: every access is on the loop thread,
 * which each public method checks first.
 * <p>Done-callbacks: while pending, {@link #callbacks} is {@code null}, one callback, or a
 * {@link CallbackList} (a list only from the second callback). On completion the future itself
 * is queued on the loop once, and delivers the whole list in one ready-queue slot, which is the
 * same order as scheduling each (CB-1, CB-4) but allocates nothing. A callback added after
 * completion queues the future again and is delivered in its own slot (CB-3); several such
 * slots wait in a {@link DeliveryQueue}.
 * <p>Loop-confined: call only on the owning loop's thread.
 *
 * @param <T> the result type
 */
final class DefaultLoopFuture<T extends @Nullable Object> implements LoopFuture<T> {

	private static final byte PENDING = 0;

	private static final byte SUCCEEDED = 1;

	private static final byte FAILED = 2;

	private static final byte CANCELLED = 3;

	final DefaultEventLoop loop;

	private byte state; // loop thread only

	/**
	 * Pending: the creation site (level TRACED) or null. Succeeded: the result. Failed: a
	 * {@link Failure}. Cancelled: the {@link CancellationException} to throw.
	 */
	private @Nullable Object value; // loop thread only

	private @Nullable Object callbacks; // loop thread only

	/**
	 * What reports name as its source when its failure goes unobserved: the {@code Class#method}
	 * of the {@code @RunOnExecutor} method that returned it, or null for the loop's name. Free in
	 * memory: the object is 32 bytes with or without it (compressed pointers, 8-byte alignment).
	 */
	private final @Nullable String source;

	/**
	 * Whether {@link HandOffs} registered this future (it waits for another thread's outcome), so
	 * that completing one of the many futures never registered costs no look-up in its
	 * concurrent sets. Set once, before the registration; read on the loop thread. A plain field:
	 * a future made by {@code HandOffs.create} is published to the loop after the write; a chain
	 * from another thread that registers an existing future while its loop completes it races as
	 * the registration itself always did (the loop misses the flag, the done future is added
	 * after the removal, and the next {@code settle()} drops it). Free in memory: the object
	 * stays 32 bytes.
	 */
	boolean awaitsHandOff;

	DefaultLoopFuture(DefaultEventLoop loop, @Nullable Throwable creationSite) {
		this(loop, creationSite, null);
	}

	DefaultLoopFuture(DefaultEventLoop loop, @Nullable Throwable creationSite, @Nullable String source) {
		this.loop = loop;
		this.value = creationSite;
		this.source = source;
	}

	@Override
	public EventLoop loop() {
		return this.loop;
	}

	@Override
	public boolean done() {
		checkThread();
		return this.state != PENDING;
	}

	@Override
	public boolean cancelled() {
		checkThread();
		return this.state == CANCELLED;
	}

	@Override
	public boolean running() {
		checkThread();
		return this.state == PENDING;
	}

	@Override
	@SuppressWarnings("unchecked")
	public T result() {
		checkThread();
		switch (this.state) {
			case SUCCEEDED:
				return Nullness.result((T) this.value);
			case FAILED:
				Failure failure = (Failure) Objects.requireNonNull(this.value);
				failure.observe();
				java.lang.ref.Reference.reachabilityFence(this); // not collected (and reported) before observe() ran
				throw failure.toThrow();
			case CANCELLED:
				throw ((Cancellation) Objects.requireNonNull(this.value)).exception();
			default:
				throw new InvalidStateException("Result is not set: " + this
						+ "; add a callback with addDoneCallback(...) or check done() first");
		}
	}

	@Override
	public @Nullable Throwable exception() {
		checkThread();
		switch (this.state) {
			case SUCCEEDED:
				return null;
			case FAILED:
				Failure failure = (Failure) Objects.requireNonNull(this.value);
				failure.observe();
				java.lang.ref.Reference.reachabilityFence(this);
				return failure.exception;
			case CANCELLED:
				throw ((Cancellation) Objects.requireNonNull(this.value)).exception();
			default:
				throw new InvalidStateException("Exception is not set: " + this
						+ "; add a callback with addDoneCallback(...) or check done() first");
		}
	}

	@Override
	public @Nullable ExcInfo excInfo() {
		checkThread();
		switch (this.state) {
			case FAILED:
				Failure failure = (Failure) Objects.requireNonNull(this.value);
				failure.observe();
				java.lang.ref.Reference.reachabilityFence(this);
				return failure.excInfo();
			case CANCELLED:
				throw ((Cancellation) Objects.requireNonNull(this.value)).exception();
			default:
				return null;
		}
	}

	@Override
	public void addDoneCallback(Consumer<? super LoopFuture<T>> callback) {
		checkThread();
		Objects.requireNonNull(callback, "callback");
		Object entry = decorate(callback);
		Object current = this.callbacks;
		if (this.state == PENDING) {
			if (current == null) {
				this.callbacks = entry;
			}
			else if (current instanceof CallbackList list) {
				list.add(entry);
			}
			else {
				CallbackList list = new CallbackList();
				list.add(current);
				list.add(entry);
				this.callbacks = list;
			}
			return;
		}
		// Done: this callback gets its own slot in the ready queue, behind what is queued now (CB-3, CB-4).
		// Scheduling first keeps nothing behind when a closed loop refuses it (CB-10).
		this.loop.scheduleCallbacksOf(this);
		if (current == null) {
			this.callbacks = entry;
		}
		else if (current instanceof DeliveryQueue queue) {
			queue.add(entry);
		}
		else {
			DeliveryQueue queue = new DeliveryQueue();
			queue.add(current);
			queue.add(entry);
			this.callbacks = queue;
		}
	}

	private Object decorate(Consumer<? super LoopFuture<T>> callback) {
		UnaryOperator<Runnable> decorator = this.loop.taskDecorator();
		if (decorator == null) {
			return callback;
		}
		return new DecoratedCallback(callback, decorator.apply(() -> callback.accept(this)));
	}

	@Override
	public int removeDoneCallback(Consumer<? super LoopFuture<T>> callback) {
		checkThread();
		Objects.requireNonNull(callback, "callback");
		if (this.state != PENDING || this.callbacks == null) {
			return 0; // CB-8: once done, the callbacks are already queued
		}
		if (this.callbacks instanceof CallbackList list) {
			int before = list.size();
			list.removeIf((entry) -> matches(entry, callback));
			int removed = before - list.size();
			if (list.isEmpty()) {
				this.callbacks = null;
			}
			return removed;
		}
		if (matches(this.callbacks, callback)) {
			this.callbacks = null;
			return 1;
		}
		return 0;
	}

	private static boolean matches(Object entry, Object callback) {
		Object registered = (entry instanceof DecoratedCallback decorated) ? decorated.original : entry;
		return registered.equals(callback);
	}

	@Override
	public void setResult(T result) {
		checkThread();
		checkPending("setResult");
		complete(SUCCEEDED, result);
	}

	/**
	 * Schedules the callbacks, then changes the state: a {@code StackOverflowError} at the
	 * stack's edge leaves the future pending (the caller sees the error), never done with
	 * callbacks that will not run. A closed loop's refusal still completes it (CB-10).
	 */
	private void complete(byte newState, @Nullable Object newValue) {
		if (this.callbacks != null && this.loop.refusesCallbacks()) {
			this.state = newState; // CB-10: done all the same, callbacks lost, the caller told
			this.value = newValue;
			this.loop.handOffDone(this);
			this.loop.scheduleCallbacksOf(this); // throws EventLoopClosedException naming the done future
			return;
		}
		scheduleCallbacks();
		this.state = newState;
		this.value = newValue;
		this.loop.handOffDone(this);
	}

	@Override
	public void setException(Throwable exception) {
		checkThread();
		Objects.requireNonNull(exception, "exception");
		checkPending("setException");
		fail(exception, null);
	}

	@Override
	public void setExcInfo(ExcInfo excInfo) {
		checkThread();
		Objects.requireNonNull(excInfo, "excInfo");
		Throwable exception = excInfo.value();
		if (exception == null) {
			throw new IllegalArgumentException("setExcInfo called with no exception");
		}
		checkPending("setExcInfo");
		fail(exception, excInfo);
	}

	private void fail(Throwable exception, @Nullable ExcInfo excInfo) {
		Throwable creationSite = (Throwable) this.value;
		Failure failure = new Failure(exception, excInfo);
		try {
			complete(FAILED, failure);
		}
		finally {
			if (this.value == failure) {
				String reportedSource = (this.source != null) ? this.source : this.loop.name;
				failure.tracker = this.loop.detector.track(this, exception, reportedSource, this.loop.futureLabel, creationSite);
			}
		}
	}

	@Override
	public boolean cancel() {
		return cancel(null);
	}

	@Override
	public boolean cancel(@Nullable String message) {
		checkThread();
		if (this.state == FAILED) {
			((Failure) Objects.requireNonNull(this.value)).observe(); // GC-4
		}
		if (this.state != PENDING) {
			return false;
		}
		complete(CANCELLED, new Cancellation(message));
		return true;
	}

	/**
	 * Cancels the future of a loop that can no longer run anything (its owner thread died):
	 * no callback is scheduled. Called by the loop, on whichever thread terminates it.
	 * @param message the cancellation message
	 * @return how many done-callbacks were registered and will never run
	 */
	int abandon(String message) {
		if (this.state != PENDING) {
			return 0;
		}
		Object current = this.callbacks;
		int lost = (current == null) ? 0 : (current instanceof CallbackList list) ? list.size() : 1;
		this.callbacks = null;
		this.state = CANCELLED;
		this.value = new Cancellation(message);
		return lost;
	}

	private void checkPending(String method) {
		if (this.state != PENDING) {
			throw new InvalidStateException(method + " on " + this + ": the future is already done and keeps its first "
					+ "outcome; check done() first, or use Futures.setResultUnlessCancelled/setExceptionUnlessCancelled when it may have been cancelled");
		}
	}

	/** Queues the registered callbacks; the caller then marks the future done and tells the loop (handOffDone). */
	private void scheduleCallbacks() {
		if (this.callbacks != null) {
			this.loop.scheduleCallbacksOf(this);
		}
	}

	/**
	 * Runs the callbacks of one ready-queue slot. Called by the loop.
	 * @return how many callbacks ran
	 */
	int deliverCallbacks() {
		if (this.state == PENDING) {
			return 0; // queued by a completion that then failed at the stack's edge; the callbacks wait for the real one
		}
		Object slot;
		Object current = this.callbacks;
		if (current instanceof DeliveryQueue queue) {
			slot = queue.poll();
			if (queue.isEmpty()) {
				this.callbacks = null;
			}
		}
		else {
			slot = current;
			this.callbacks = null;
		}
		if (slot instanceof CallbackList list) {
			for (Object callback : list) {
				this.loop.invoke(callback, this);
			}
			return list.size();
		}
		if (slot != null) {
			this.loop.invoke(slot, this);
			return 1;
		}
		return 0;
	}

	@Override
	public CompletableFuture<T> toCompletableFuture() {
		EddyCompletableFuture<T> view = EddyCompletableFuture.tracked(this.loop.completableOrigin);
		if (this.loop.inLoopThread()) {
			copyInto(view);
		}
		else {
			Runnable closed = () -> view.completeExceptionally(new dev.eddy.loop.EventLoopClosedException(
					"EventLoop '" + this.loop.name + "' is closed; " + this + " cannot be observed any more"));
			if (!this.loop.tryQueue(DefaultEventLoop.orElse(() -> copyInto(view), closed), view)) {
				closed.run();
			}
		}
		return view;
	}

	private void copyInto(CompletableFuture<T> view) {
		if (this.state == PENDING) {
			addDoneCallback((done) -> copyInto(view));
			return;
		}
		switch (this.state) {
			case SUCCEEDED -> view.complete(result());
			case FAILED -> view.completeExceptionally(Objects.requireNonNull(exception()));
			default -> view.completeExceptionally(((Cancellation) Objects.requireNonNull(this.value)).exception());
		}
	}

	private void checkThread() {
		if (Thread.currentThread() != this.loop.owner()) {
			throw new IllegalStateException(this + " is confined to loop '" + this.loop.name + "' but was called from thread '"
					+ Thread.currentThread().getName() + "'; hop with loop.execute(...) or use toCompletableFuture()");
		}
	}

	@Override
	public String toString() {
		// Racy read when called off the loop thread: it may show a slightly stale state.
		byte state = this.state;
		Object value = this.value;
		return this.loop.futureLabel + describe(state, value);
	}

	static String describe(byte state, @Nullable Object value) {
		return switch (state) {
			case PENDING -> "(pending)";
			case SUCCEEDED -> "(done: " + Describe.value(value) + ")";
			case FAILED -> "(failed: " + Describe.exception(((Failure) Objects.requireNonNull(value)).exception) + ")";
			default -> "(cancelled" + ((value instanceof Cancellation cancellation && cancellation.message != null)
					? ": " + Describe.value(cancellation.message) : "") + ")"; // bounded: a message may be huge
		};
	}

	/**
	 * A cancellation: the message, and the {@link CancellationException} made on first demand and
	 * then thrown by every call (AF-9), as asyncio does, so that {@code cancel()} stays cheap.
	 * <p>Loop-confined, like its future.
	 */
	static final class Cancellation {

		final @Nullable String message;

		private @Nullable CancellationException exception;

		Cancellation(@Nullable String message) {
			this.message = message;
		}

		CancellationException exception() {
			CancellationException made = this.exception;
			if (made == null) {
				made = new CancellationException(this.message);
				this.exception = made;
			}
			return made;
		}

	}

	/** Done-callbacks registered before completion, delivered together in one slot. */
	private static final class CallbackList extends ArrayList<Object> {

		private static final long serialVersionUID = 1L;

		CallbackList() {
			super(4);
		}

	}

	/** Slots queued after completion, each delivered when the loop reaches it. */
	private static final class DeliveryQueue extends ArrayDeque<Object> {

		private static final long serialVersionUID = 1L;

	}

	/** A done-callback that carries the context its decorator captured at registration. */
	private static final class DecoratedCallback implements Consumer<Object> {

		final Object original;

		private final Runnable decorated;

		DecoratedCallback(Object original, Runnable decorated) {
			this.original = original;
			this.decorated = decorated;
		}

		@Override
		public void accept(Object future) {
			this.decorated.run();
		}

		@Override
		public String toString() {
			return this.original.toString();
		}

	}

	/**
	 * A failure with what is made of it lazily: the tracker that watches whether it is
	 * observed, the exc_info, and the {@code CompletionException} wrapper for a checked
	 * exception (one per future, D-3).
	 * <p>Loop-confined, like its future.
	 */
	static final class Failure {

		final Throwable exception;

		private @Nullable ExcInfo excInfo;

		UnobservedFailureDetector.@Nullable Tracker tracker;

		private @Nullable RuntimeException wrapper;

		Failure(Throwable exception, @Nullable ExcInfo excInfo) {
			this.exception = exception;
			this.excInfo = excInfo;
		}

		void observe() {
			UnobservedFailureDetector.Tracker current = this.tracker;
			if (current != null) {
				this.tracker = null;
				current.observed();
			}
		}

		ExcInfo excInfo() {
			ExcInfo info = this.excInfo;
			if (info == null) {
				info = ExcInfo.of(this.exception);
				this.excInfo = info;
			}
			return info;
		}

		RuntimeException toThrow() {
			RuntimeException unchecked = Throwables.uncheckedOrNull(this.exception);
			if (unchecked != null) {
				return unchecked;
			}
			RuntimeException wrapped = this.wrapper;
			if (wrapped == null) {
				wrapped = new java.util.concurrent.CompletionException(this.exception);
				this.wrapper = wrapped;
			}
			return wrapped;
		}

	}

}
