package dev.eddy.internal;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.eddy.concurrent.ExcInfo;
import dev.eddy.concurrent.InvalidStateException;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.ScheduledCallback;
import org.jspecify.annotations.Nullable;

import static dev.eddy.internal.Throwables.unwrap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Tornado module functions behind {@code dev.eddy.concurrent.Futures}.
 * <p>Thread-safe; each method states where it may be called.
 */
public final class DefaultFutures {

	/** Logger of "Exception after Future was cancelled" (FSE-2, FSX-3). */
	public static final String LOGGER_NAME = "dev.eddy.concurrent.Futures";

	private static final Logger logger = LoggerFactory.getLogger(LOGGER_NAME);


	private final DefaultEventLoop defaultLoop;

	/**
	 * Creates the functions for a default loop.
	 * @param defaultLoop where futures live when the caller is on no loop thread
	 */
	public DefaultFutures(EventLoop defaultLoop) {
		Objects.requireNonNull(defaultLoop, "defaultLoop");
		if (!(defaultLoop instanceof DefaultEventLoop eddyLoop)) {
			throw new IllegalArgumentException("'defaultLoop' must be made by EventLoop.create or EventLoop.onCurrentThread, was "
					+ defaultLoop.getClass().getName());
		}
		this.defaultLoop = eddyLoop;
	}

	/** @return the default loop */
	public EventLoop defaultLoop() {
		return this.defaultLoop;
	}

	/** @return the calling thread's loop, else the default loop (D-4, D-7) */
	public DefaultEventLoop currentOrDefaultLoop() {
		DefaultEventLoop current = DefaultEventLoop.currentOrNull();
		return (current != null) ? current : this.defaultLoop;
	}

	// ---------------------------------------------------------------- chain

	/**
	 * LoopFuture to LoopFuture: inline when {@code source} is done, else one iteration after it
	 * completes (CH-1, CH-2); to the target's loop when that is another loop (D-7).
	 */
	public <T extends @Nullable Object> void chain(LoopFuture<? extends T> source, LoopFuture<? super T> target) {
		Objects.requireNonNull(source, "source");
		Objects.requireNonNull(target, "target");
		if (!sameThread(target)) {
			// Registered now, so that the target's loop cancels it if it closes before the copy arrives.
			requireEddy(target).loop.handOffs.register(requireEddy(target));
		}
		addDoneCallback(source, (done) -> {
			if (sameThread(target)) {
				copy(done, target);
			}
			else {
				// D-7: the copy runs where the target lives. Read the outcome here (observing it, CH-8).
				CopiedOutcome<T> outcome = CopiedOutcome.of(done);
				hopTo(target, outcome);
			}
		});
	}

	/** LoopFuture to CompletableFuture: completed on the source's loop (CH-2, CH-9). */
	public <T extends @Nullable Object> void chain(LoopFuture<? extends T> source, CompletableFuture<? super T> target) {
		Objects.requireNonNull(source, "source");
		Objects.requireNonNull(target, "target");
		copyWhenDone(source, target);
	}

	/**
	 * Copies a LoopFuture's outcome into a CompletableFuture once it is done: inline if it is,
	 * else one iteration after it completes. Call on the source's loop thread.
	 * @param <T> the result type
	 * @param source the future to copy from
	 * @param target the future to complete, unless already done (CH-1.1)
	 */
	static <T extends @Nullable Object> void copyWhenDone(LoopFuture<? extends T> source, CompletableFuture<? super T> target) {
		java.util.function.Consumer<LoopFuture<? extends T>> copy = (done) -> {
			if (!target.isDone()) {
				CopiedOutcome.of(done).completeInto(target); // observes the source: the duty moves to the target (CH-8)
			}
		};
		if (source.done()) {
			copy.accept(source);
		}
		else {
			@SuppressWarnings("unchecked")
			LoopFuture<T> typed = (LoopFuture<T>) source;
			typed.addDoneCallback(copy::accept);
		}
	}

	/**
	 * CompletionStage to LoopFuture: always through the target's loop, in a later iteration
	 * (CH-3, D-7). A loop close before the source completes cancels the target.
	 */
	public <T extends @Nullable Object> void chain(CompletionStage<? extends T> source, LoopFuture<? super T> target) {
		Objects.requireNonNull(source, "source");
		Objects.requireNonNull(target, "target");
		if (target instanceof CompletedLoopFuture<?>) {
			return; // CH-1.1: a target that is already done is left untouched
		}
		@SuppressWarnings("unchecked")
		DefaultLoopFuture<T> eddyTarget = (DefaultLoopFuture<T>) requireEddy(target);
		DefaultEventLoop loop = eddyTarget.loop;
		loop.handOffs.register(eddyTarget);
		EddyCompletableFuture.whenCompleteWithoutObserving(source,
				(value, failure) -> loop.handOffs.complete(eddyTarget, value, unwrap(failure), source));
	}

	/**
	 * CompletionStage to CompletableFuture: the copy runs on the current loop, else the default
	 * loop, in a later iteration (CH-3, D-7). If that loop is closed, the copy runs on the
	 * completing thread rather than leave the target pending.
	 */
	public <T extends @Nullable Object> void chain(CompletionStage<? extends T> source,
			CompletableFuture<? super T> target) {
		Objects.requireNonNull(source, "source");
		Objects.requireNonNull(target, "target");
		DefaultEventLoop loop = currentOrDefaultLoop();
		EddyCompletableFuture.whenCompleteWithoutObserving(source, (value, failure) -> {
			CopiedOutcome<T> outcome = new CopiedOutcome<>(value, unwrap(failure));
			Runnable copy = () -> {
				if (!target.isDone()) {
					EddyCompletableFuture.observe(source); // copied: the duty moves to the target (CH-8)
					outcome.completeInto(target);
				}
			};
			if (!loop.tryDeliver(Rejectable.orElse(copy, copy))) {
				logger.warn("EventLoop '{}' is closed; chain copied the outcome into {} on thread '{}' instead of leaving it pending",
						loop.name(), target, Thread.currentThread().getName());
				copy.run();
			}
		});
	}

	private static <T extends @Nullable Object> void copy(LoopFuture<? extends T> source, LoopFuture<? super T> target) {
		if (target.done()) {
			return; // CH-1.1, CH-5: dropped silently; the source keeps its duty to be observed (CH-8)
		}
		CopiedOutcome.of(source).completeInto(target);
	}

	private static <T extends @Nullable Object> void hopTo(LoopFuture<? super T> target, CopiedOutcome<T> outcome) {
		@SuppressWarnings("unchecked")
		DefaultLoopFuture<Object> eddyTarget = (DefaultLoopFuture<Object>) requireEddy(target);
		eddyTarget.loop.handOffs.complete(eddyTarget, outcome.value, outcome.failure);
	}

	private static boolean sameThread(LoopFuture<?> future) {
		return !(future instanceof DefaultLoopFuture<?> eddy) || eddy.loop.inLoopThread();
	}

	private static DefaultLoopFuture<?> requireEddy(LoopFuture<?> future) {
		if (future instanceof DefaultLoopFuture<?> eddy) {
			return eddy;
		}
		throw new IllegalArgumentException("'target' must be a pending future made by EventLoop.newFuture(), was " + future
				+ " (LoopFuture.completed/failed futures are already done)");
	}

	/** A future's outcome, read once (observing it) to be copied into another future. */
	private record CopiedOutcome<T extends @Nullable Object>(@Nullable T value, @Nullable Throwable failure) {

		static <T extends @Nullable Object> CopiedOutcome<T> of(LoopFuture<? extends T> done) {
			if (done.cancelled()) {
				CancellationException cancelled;
				try {
					done.result();
					cancelled = new CancellationException();
				}
				catch (CancellationException ex) {
					cancelled = ex;
				}
				return new CopiedOutcome<>(null, cancelled);
			}
			Throwable failure = done.exception();
			return new CopiedOutcome<>((failure != null) ? null : done.result(), failure);
		}

		void completeInto(LoopFuture<? super T> target) {
			if (this.failure instanceof CancellationException cancelled) {
				target.cancel(cancelled.getMessage()); // D-1
			}
			else if (this.failure != null) {
				target.setException(this.failure);
			}
			else {
				target.setResult(Nullness.result(this.value));
			}
		}

		void completeInto(CompletableFuture<? super T> target) {
			if (this.failure != null) {
				target.completeExceptionally(this.failure); // a CancellationException cancels it (D-1)
			}
			else {
				target.complete(this.value);
			}
		}

	}

	// ---------------------------------------------------------------- unless cancelled

	/** FSR-1..FSR-3 for a LoopFuture. */
	public <T extends @Nullable Object> void setResultUnlessCancelled(LoopFuture<? super T> future, T value) {
		Objects.requireNonNull(future, "future");
		if (!future.cancelled()) {
			future.setResult(value);
		}
	}

	/** FSR-4: a CompletableFuture; completed (not cancelled) throws InvalidStateException (FSR-3). */
	public <T extends @Nullable Object> void setResultUnlessCancelled(CompletableFuture<? super T> future, T value) {
		Objects.requireNonNull(future, "future");
		if (future.isCancelled()) {
			return;
		}
		if (!future.complete(value) && !future.isCancelled()) {
			throw new InvalidStateException("setResultUnlessCancelled on " + future
					+ ": the future is already completed and keeps its first outcome; check isDone() first");
		}
	}

	/** FSE-1..FSE-3 for a LoopFuture. */
	public void setExceptionUnlessCancelled(LoopFuture<?> future, Throwable exception) {
		Objects.requireNonNull(future, "future");
		Objects.requireNonNull(exception, "exception");
		if (future.cancelled()) {
			logger.error("Exception after Future was cancelled", exception); // FSE-2
			return;
		}
		future.setException(exception);
	}

	/** FSE-1..FSE-3 for a CompletableFuture. */
	public void setExceptionUnlessCancelled(CompletableFuture<?> future, Throwable exception) {
		Objects.requireNonNull(future, "future");
		Objects.requireNonNull(exception, "exception");
		if (!future.isCancelled() && future.completeExceptionally(exception)) {
			return;
		}
		if (future.isCancelled()) {
			logger.error("Exception after Future was cancelled", exception); // FSE-2
			return;
		}
		throw new InvalidStateException("setExceptionUnlessCancelled on " + future
				+ ": the future is already completed and keeps its first outcome; check isDone() first");
	}

	/** FSX-1..FSX-4: only {@code excInfo.value()} is used. */
	public void setExcInfo(LoopFuture<?> future, ExcInfo excInfo) {
		Objects.requireNonNull(future, "future");
		setExceptionUnlessCancelled(future, requireValue(excInfo));
	}

	/** FSX-1..FSX-4 for a CompletableFuture. */
	public void setExcInfo(CompletableFuture<?> future, ExcInfo excInfo) {
		Objects.requireNonNull(future, "future");
		setExceptionUnlessCancelled(future, requireValue(excInfo));
	}

	private static Throwable requireValue(ExcInfo excInfo) {
		Objects.requireNonNull(excInfo, "excInfo");
		Throwable value = excInfo.value();
		if (value == null) {
			throw new IllegalArgumentException("setExcInfo called with no exception"); // FSX-1
		}
		return value;
	}

	// ---------------------------------------------------------------- future_add_done_callback

	/** FADC-1, FADC-2: inline when done (exceptions propagate), else scheduled. */
	public <T extends @Nullable Object> void addDoneCallback(LoopFuture<T> future, Consumer<? super LoopFuture<T>> callback) {
		Objects.requireNonNull(future, "future");
		Objects.requireNonNull(callback, "callback");
		if (future.done()) {
			callback.accept(future);
		}
		else {
			future.addDoneCallback(callback);
		}
	}

	/**
	 * FADC-3: inline when done; else on the completing thread. A throw from the callback then is
	 * logged and the other callbacks run.
	 */
	public <T extends @Nullable Object> void addDoneCallback(CompletableFuture<T> future,
			Consumer<? super CompletableFuture<T>> callback) {
		Objects.requireNonNull(future, "future");
		Objects.requireNonNull(callback, "callback");
		if (future.isDone()) {
			callback.accept(future);
			return;
		}
		OrderedCallbacks<T> created = null;
		synchronized (ORDERED) {
			WeakReference<OrderedCallbacks<?>> existing = ORDERED.get(future);
			@SuppressWarnings("unchecked")
			OrderedCallbacks<T> callbacks = (existing != null) ? (OrderedCallbacks<T>) existing.get() : null;
			if (callbacks == null) {
				created = new OrderedCallbacks<>(callback);
				ORDERED.put(future, new WeakReference<>(created));
			}
			else if (callbacks.add(callback)) {
				return; // appended: it runs after the earlier ones
			}
			// else they have run already: the future is done
		}
		if (created == null) {
			callback.accept(future); // FADC-3: done meanwhile, inline
			return;
		}
		OrderedCallbacks<T> registered = created;
		java.util.function.BiConsumer<T, Throwable> action = (value, failure) -> registered.runAll(future);
		if (future instanceof EddyCompletableFuture<T> eddy) {
			eddy.listen(action); // registering a callback does not observe (GC-5)
		}
		else {
			future.whenComplete(action);
		}
	}

	/**
	 * Where the callbacks {@link #addDoneCallback(CompletableFuture, Consumer)} registered on a
	 * pending CompletableFuture wait, in registration order: the JDK runs a future's dependents
	 * last-first, concurrent.futures in registration order (FADC-3). Only one action is
	 * registered on the future, and it holds the list strongly; this map holds the future weakly
	 * and the list weakly, so a future dropped while pending takes its callbacks with it.
	 * Guarded by itself.
	 */
	private static final Map<CompletableFuture<?>, WeakReference<OrderedCallbacks<?>>> ORDERED = new WeakHashMap<>();

	/** The callbacks of one future, in registration order. Thread-safe. */
	private static final class OrderedCallbacks<T extends @Nullable Object> {

		private @Nullable List<Consumer<? super CompletableFuture<T>>> pending; // guarded by this

		OrderedCallbacks(Consumer<? super CompletableFuture<T>> first) {
			List<Consumer<? super CompletableFuture<T>>> list = new ArrayList<>(2);
			list.add(first);
			this.pending = list;
		}

		/** @return false if they have run already */
		synchronized boolean add(Consumer<? super CompletableFuture<T>> callback) {
			List<Consumer<? super CompletableFuture<T>>> list = this.pending;
			if (list == null) {
				return false;
			}
			list.add(callback);
			return true;
		}

		void runAll(CompletableFuture<T> future) {
			List<Consumer<? super CompletableFuture<T>>> list;
			synchronized (this) {
				list = this.pending;
				this.pending = null;
			}
			synchronized (ORDERED) {
				ORDERED.remove(future);
			}
			if (list == null) {
				return;
			}
			for (Consumer<? super CompletableFuture<T>> callback : list) {
				try {
					callback.accept(future);
				}
				catch (RuntimeException | Error ex) {
					Describe.rethrowIfUnrecoverable(ex);
					logger.error("Exception calling callback " + Describe.value(callback) + " for " + Describe.value(future), ex);
				}
			}
		}

	}

	// ---------------------------------------------------------------- return_future

	/**
	 * 4.4.3 {@code return_future}: calls {@code start} now, on the calling thread, with a callback
	 * that completes the returned future.
	 */
	public <T extends @Nullable Object> LoopFuture<T> fromCallback(Consumer<? super Consumer<? super T>> start,
			@Nullable Duration timeout) {
		Objects.requireNonNull(start, "start");
		return fromCallbacks((ok, error) -> start.accept(ok), timeout);
	}

	/**
	 * {@link #fromCallback} with an error path: the first of the two consumers called settles
	 * the future (RF-8).
	 */
	public <T extends @Nullable Object> LoopFuture<T> fromCallbacks(
			java.util.function.BiConsumer<? super Consumer<? super T>, ? super Consumer<? super Throwable>> start,
			@Nullable Duration timeout) {
		Objects.requireNonNull(start, "start");
		if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException("'timeout' must be positive, was " + timeout);
		}
		DefaultEventLoop loop = currentOrDefaultLoop();
		DefaultLoopFuture<T> future = loop.handOffs.createNotAwaited("its fromCallback callback");
		AtomicReference<@Nullable String> settled = new AtomicReference<>();
		ScheduledCallback[] timer = new ScheduledCallback[1];
		Consumer<T> callback = new Consumer<>() {

			@Override
			public void accept(T value) {
				settle(loop, future, settled, timer, value, null);
			}

			@Override
			public String toString() {
				return "fromCallback callback of " + future;
			}

		};
		Consumer<Throwable> error = new Consumer<>() {

			@Override
			public void accept(Throwable failure) {
				Objects.requireNonNull(failure, "failure");
				settle(loop, future, settled, timer, null, failure);
			}

			@Override
			public String toString() {
				return "fromCallbacks error callback of " + future;
			}

		};
		if (timeout != null) {
			timer[0] = loop.callLater(timeout, () -> {
				if (settled.compareAndSet(null, "timed out after " + timeout)) {
					loop.handOffs.complete(future, null,
							new TimeoutException("fromCallback: the callback was not called within " + timeout));
				}
			});
		}
		try {
			start.accept(callback, error);
		}
		catch (RuntimeException | Error ex) {
			// RF-6: the synchronous failure goes to the caller; the future ends failed and observed, never pending.
			settled.set("start threw " + ex.getClass().getName() + " before it");
			ScheduledCallback pendingTimer = timer[0];
			if (pendingTimer != null) {
				pendingTimer.cancel();
			}
			loop.tryDeliver(() -> {
				loop.handOffs.done(future);
				if (!future.done()) {
					future.setException(ex);
					future.exception();
				}
			});
			throw ex;
		}
		return future;
	}

	/**
	 * The first call of either fromCallbacks consumer settles the future (RF-3: at once when on
	 * the loop thread); a later call is ignored with a warning.
	 */
	private <T extends @Nullable Object> void settle(DefaultEventLoop loop, DefaultLoopFuture<T> future,
			AtomicReference<@Nullable String> settled, @Nullable ScheduledCallback[] timer, @Nullable T value,
			@Nullable Throwable failure) {
		String earlier = settled.compareAndExchange(null, "was called before");
		if (earlier != null) {
			ignored(future, earlier, "with " + ((failure != null) ? Describe.exception(failure) : Describe.value(value)));
			return;
		}
		ScheduledCallback pendingTimer = timer[0];
		if (pendingTimer != null) {
			pendingTimer.cancel();
		}
		if (loop.inLoopThread() && !future.done()) {
			loop.handOffs.done(future);
			if (failure != null) {
				future.setException(failure);
			}
			else {
				future.setResult(Nullness.result(value));
			}
		}
		else {
			loop.handOffs.complete(future, value, failure);
		}
	}

	/** Repeated calls of a fromCallback consumer: at most 10 warnings per 10 s, the rest counted in a summary. */
	private final RateLimitedLog ignoredCalls = RateLimitedLog.tenPer10Seconds(logger);

	private void ignored(LoopFuture<?> future, String earlier, String what) {
		this.ignoredCalls.warn("fromCallback: the callback for " + future + " " + earlier
				+ "; this call, " + what + ", is ignored");
	}

	// ---------------------------------------------------------------- allOf

	/**
	 * {@code CompletableFuture.allOf} that also observes each input, since the JDK's relays are
	 * invisible to a subclass; the returned future carries the failure on.
	 */
	public CompletableFuture<@Nullable Void> allOf(CompletableFuture<?>... futures) {
		Objects.requireNonNull(futures, "futures");
		for (int i = 0; i < futures.length; i++) {
			CompletableFuture<?> future = futures[i];
			if (future == null) {
				throw new NullPointerException("'futures[" + i + "]' must not be null");
			}
			if (future instanceof EddyCompletableFuture<?> eddy) {
				eddy.markObserved();
			}
		}
		DefaultEventLoop loop = currentOrDefaultLoop();
		EddyCompletableFuture<@Nullable Void> all = EddyCompletableFuture.tracked(loop.allOfOrigin);
		CompletableFuture.allOf(futures).whenComplete((ignored, failure) -> {
			if (failure != null) {
				all.completeExceptionally(Throwables.unwrapPresent(failure));
			}
			else {
				all.complete(null);
			}
		});
		return all;
	}

}
