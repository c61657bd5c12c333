package dev.eddy.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.EventLoopClosedException;
import dev.eddy.loop.HandOffExecutor;
import dev.eddy.loop.LoopStatistics;
import dev.eddy.loop.ScheduledCallback;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop. Loop-thread state (ready queue, timers, counters' writes) is touched only by
 * the owning thread; other threads reach the loop through the multi-producer {@link #inbox} and
 * wake it with {@link LockSupport#unpark} only when it announced that it sleeps (a Dekker-style
 * hand-off: the producer publishes, then reads the sleep flag; the loop sets the flag, then
 * re-checks the inbox; both with full fences, so no wake-up is lost).
 * <p>Thread-safe where {@link EventLoop} says so; the rest is loop-confined.
 */
public final class DefaultEventLoop implements EventLoop, LoopStatistics {

	static final Logger logger = LoggerFactory.getLogger("dev.eddy.loop");

	private static final ThreadLocal<@Nullable DefaultEventLoop> DRIVEN_BY_THIS_THREAD = new ThreadLocal<>();

	private static final int RUNNING = 0;

	private static final int CLOSING = 1;

	private static final int CLOSED = 2;

	private static final int AWAKE = 0;

	private static final int SLEEPING = 1;

	/** Most iterations run after the hand-offs were cancelled at close, so that their callbacks run. */
	private static final int MAX_FINAL_ITERATIONS = 1000;

	/** Inbox checks before the loop sleeps, roughly 10-20 µs: cheaper than a wake-up. */
	private static final int SPINS_BEFORE_SLEEP = 1000;

	/** How much longer than the drain timeout close() waits for the loop thread. */
	private static final long CLOSE_GRACE_SECONDS = 5;

	private static final VarHandle SLEEP_STATE;

	private static final VarHandle SUCCEEDED;

	private static final VarHandle FAILED;

	private static final VarHandle SLOW;

	private static final VarHandle PROGRESS;

	private static final VarHandle BUSY;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			SLEEP_STATE = lookup.findVarHandle(DefaultEventLoop.class, "sleepState", int.class);
			SUCCEEDED = lookup.findVarHandle(DefaultEventLoop.class, "succeeded", long.class);
			FAILED = lookup.findVarHandle(DefaultEventLoop.class, "failed", long.class);
			SLOW = lookup.findVarHandle(DefaultEventLoop.class, "slow", long.class);
			PROGRESS = lookup.findVarHandle(DefaultEventLoop.class, "progress", long.class);
			BUSY = lookup.findVarHandle(DefaultEventLoop.class, "busy", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	final String name;

	/** How futures of this loop introduce themselves in {@code toString()} and reports. */
	final String futureLabel;

	/** How the CompletableFuture views of its futures introduce themselves in reports. */
	final String completableLabel;

	final UnobservedFailureDetector detector;

	private final boolean ownThread;

	private final Thread owner;

	/** Whether this loop is current on its owner only inside {@link #bindToOwner()} scopes; set before publication. */
	private boolean bindable;

	private final boolean debug;

	private final long slowCallbackNanos;

	private final Duration drainTimeout;

	private final @Nullable UnaryOperator<Runnable> taskDecorator;

	/** Runnables and futures whose callbacks are due; loop thread only. */
	private final ArrayDeque<Object> ready = new ArrayDeque<>();

	/**
	 * Callbacks from other threads; many producers, the loop thread consumes. JCTools' atomic
	 * variant (field updaters and atomic arrays, no sun.misc.Unsafe, so no JDK 24+ warning); its
	 * family has a bounded one, MpscChunkedAtomicArrayQueue.
	 */
	private final MpscUnboundedAtomicArrayQueue<Object> inbox = new MpscUnboundedAtomicArrayQueue<>(1024);

	private final PriorityQueue<TimerTask> timers = new PriorityQueue<>(); // loop thread only

	private long timerSequence; // loop thread only

	private final AtomicLong timerSequenceOffLoop = new AtomicLong(Long.MIN_VALUE / 2);

	/** Timers cancelled since the last purge of the heap; cancel() may come from any thread. */
	private final AtomicInteger cancelledTimers = new AtomicInteger();

	/** After close, whoever finds work left in the inbox disposes of it, one thread at a time. */
	private final Object leftoverLock = new Object();

	/** Futures of this loop waiting for another thread's outcome (close cancels them). */
	private final Set<DefaultLoopFuture<?>> pendingHandOffs = ConcurrentHashMap.newKeySet();

	private final RateLimitedLog callbackErrors = RateLimitedLog.tenPer10Seconds(logger);

	private final CountDownLatch terminated = new CountDownLatch(1);

	private final AtomicLong rejected = new AtomicLong();

	private final AtomicLong wakeups = new AtomicLong();

	private final AtomicLong blockedEpisodes = new AtomicLong();

	private volatile boolean blockedNow;

	private final LoopWatchdog watchdog;

	private volatile int lifecycle = RUNNING;

	private volatile boolean stopRequested;

	@SuppressWarnings("unused") // through SLEEP_STATE
	private volatile int sleepState;

	// Counters written by the loop thread only, with opaque stores; read anywhere with opaque loads.
	@SuppressWarnings("unused")
	private long succeeded;

	@SuppressWarnings("unused")
	private long failed;

	@SuppressWarnings("unused")
	private long slow;

	@SuppressWarnings("unused")
	private long progress;

	@SuppressWarnings("unused")
	private boolean busy;

	private boolean draining; // loop thread only

	private int iterationDepth; // loop thread only

	private DefaultEventLoop(LoopSettings settings, boolean ownThread) {
		this.name = settings.name();
		this.futureLabel = "LoopFuture[loop=" + settings.name() + "]";
		this.completableLabel = EddyCompletableFuture.labelFor(settings.name());
		this.detector = settings.detector();
		this.ownThread = ownThread;
		this.debug = settings.debug();
		this.slowCallbackNanos = settings.slowCallbackThreshold().toNanos();
		this.drainTimeout = settings.drainTimeout();
		this.taskDecorator = settings.taskDecorator();
		this.owner = ownThread ? new EventLoopThread(this, this::runOnOwnThread, settings.name())
				: Thread.currentThread();
		this.watchdog = LoopWatchdog.watch(this, settings.blockedThreshold().toNanos());
	}

	/**
	 * Starts a loop on its own thread.
	 * @param settings the settings
	 * @return the running loop
	 */
	public static DefaultEventLoop start(LoopSettings settings) {
		DefaultEventLoop loop = new DefaultEventLoop(settings, true);
		loop.owner.start();
		return loop;
	}

	/**
	 * Makes a loop driven by the calling thread.
	 * @param settings the settings
	 * @return the loop
	 */
	public static DefaultEventLoop onCurrentThread(LoopSettings settings) {
		DefaultEventLoop existing = currentOrNull();
		if (existing != null) {
			throw new IllegalStateException("Thread '" + Thread.currentThread().getName() + "' already runs EventLoop '"
					+ existing.name + "'; close it first or use EventLoop.current()");
		}
		DefaultEventLoop loop = new DefaultEventLoop(settings, false);
		DRIVEN_BY_THIS_THREAD.set(loop);
		return loop;
	}

	/**
	 * Makes a loop owned and driven by the calling thread that is not current on it:
	 * {@link #currentOrNull()} returns it only inside a {@link #bindToOwner()} scope.
	 * @param settings the settings
	 * @return the loop
	 */
	public static DefaultEventLoop onCurrentThreadUnbound(LoopSettings settings) {
		DefaultEventLoop loop = new DefaultEventLoop(settings, false);
		loop.bindable = true;
		return loop;
	}

	/** @return whether this loop was made by {@link #onCurrentThreadUnbound} and is current only while bound */
	public boolean isBindable() {
		return this.bindable;
	}

	/**
	 * Makes this loop current on its owning thread until the returned scope is closed, then makes
	 * current again whatever loop was current before (usually none).
	 * @return the scope; close it on the same thread
	 * @throws IllegalStateException when the loop is not bindable, or the caller is not its owner
	 */
	public Binding bindToOwner() {
		if (!this.bindable) {
			throw new IllegalStateException("EventLoop '" + this.name + "' is not bindable: only a loop made by "
					+ "EventLoopBuilder.onCurrentThreadUnbound() is made current and released by scope");
		}
		if (Thread.currentThread() != this.owner) {
			throw new IllegalStateException("EventLoop '" + this.name + "' can be made current only on its owning thread '"
					+ this.owner.getName() + "' but was bound from thread '" + Thread.currentThread().getName()
					+ "'; create the loop on the thread that drives it");
		}
		DefaultEventLoop previous = DRIVEN_BY_THIS_THREAD.get();
		DRIVEN_BY_THIS_THREAD.set(this);
		return new Binding(this, previous);
	}

	/**
	 * A scope in which a bindable loop is current on its owning thread.
	 * <p>Confined to the owning thread.
	 */
	public static final class Binding implements AutoCloseable {

		private final DefaultEventLoop loop;

		private final @Nullable DefaultEventLoop previous;

		private boolean closed; // owning thread only

		Binding(DefaultEventLoop loop, @Nullable DefaultEventLoop previous) {
			this.loop = loop;
			this.previous = previous;
		}

		/** Ends the scope: the loop that was current before is current again. Idempotent. */
		@Override
		public void close() {
			if (this.closed) {
				return;
			}
			if (Thread.currentThread() != this.loop.owner) {
				throw new IllegalStateException("The binding of EventLoop '" + this.loop.name
						+ "' must be closed on its owning thread '" + this.loop.owner.getName() + "' but was closed on thread '"
						+ Thread.currentThread().getName() + "'");
			}
			this.closed = true;
			if (DRIVEN_BY_THIS_THREAD.get() == this.loop) {
				if (this.previous != null && !this.previous.isTerminated()) {
					DRIVEN_BY_THIS_THREAD.set(this.previous);
				}
				else {
					DRIVEN_BY_THIS_THREAD.remove();
				}
			}
		}

	}

	/** @return the loop of the calling thread, or {@code null} */
	public static @Nullable DefaultEventLoop currentOrNull() {
		Thread thread = Thread.currentThread();
		if (thread instanceof EventLoopThread loopThread) {
			return loopThread.loop;
		}
		return DRIVEN_BY_THIS_THREAD.get();
	}

	/**
	 * The loop of the calling thread (AF-1).
	 * @return the loop
	 */
	public static DefaultEventLoop current() {
		DefaultEventLoop loop = currentOrNull();
		if (loop == null) {
			throw new IllegalStateException("There is no current event loop in thread '" + Thread.currentThread().getName()
					+ "'; run this on a loop thread (loop.execute(...)) or make one with EventLoop.onCurrentThread(name)");
		}
		return loop;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public boolean inLoopThread() {
		return Thread.currentThread() == this.owner;
	}

	Thread owner() {
		return this.owner;
	}

	@Nullable UnaryOperator<Runnable> taskDecorator() {
		return this.taskDecorator;
	}

	// ---------------------------------------------------------------- submitting work

	@Override
	public void execute(Runnable callback) {
		Objects.requireNonNull(callback, "callback");
		UnaryOperator<Runnable> decorator = this.taskDecorator;
		Runnable task = (decorator != null) ? decorator.apply(callback) : callback;
		if (Thread.currentThread() == this.owner) {
			if (this.lifecycle == CLOSED) {
				throw reject(callback);
			}
			this.ready.add(task);
		}
		else {
			if (this.lifecycle != RUNNING) {
				throw reject(callback);
			}
			this.inbox.offer(task);
			wakeUp();
			if (this.lifecycle == CLOSED && disposeLeftovers(task)) {
				throw reject(callback); // the loop closed between the check and the offer
			}
		}
	}

	/**
	 * Queues work that completes something already in flight (a hand-off from another thread, a
	 * timer insertion). Accepted while the loop drains at close, unlike new work from other
	 * threads.
	 * @param task the task
	 * @return whether it was queued; when not, it was counted and logged as rejected
	 */
	boolean tryDeliver(Runnable task) {
		if (this.lifecycle != CLOSED) {
			if (Thread.currentThread() == this.owner) {
				this.ready.add(task);
				return true;
			}
			this.inbox.offer(task);
			wakeUp();
			if (this.lifecycle != CLOSED || !disposeLeftovers(task)) {
				return true;
			}
		}
		this.rejected.incrementAndGet();
		this.callbackErrors.error("closed:" + this.name, "EventLoop '" + this.name + "' is closed; dropped callback " + task
				+ " that completes work started before the close",
				new EventLoopClosedException("EventLoop '" + this.name + "' is closed"));
		return false;
	}

	/**
	 * Disposes of what is left in the inbox once the loop is closed: a {@link Rejectable} task is
	 * told, anything else is counted as rejected and logged. Any thread may call it; the lock
	 * keeps the inbox single-consumer.
	 * @param mine a task of the caller's, which is not disposed of but reported back
	 * @return whether {@code mine} was still in the inbox
	 */
	private boolean disposeLeftovers(@Nullable Object mine) {
		boolean found = false;
		int dropped = 0;
		synchronized (this.leftoverLock) {
			Object task;
			while ((task = this.inbox.poll()) != null) {
				if (task == mine) {
					found = true;
				}
				else if (!dispose(task)) {
					dropped++;
				}
			}
		}
		if (dropped > 0) {
			this.rejected.addAndGet(dropped);
			logger.error("EventLoop '{}' is closed; {} callback(s) queued around the close never ran and were counted as "
					+ "rejected", this.name, dropped);
		}
		return found;
	}

	/** @return whether the task took care of its own rejection */
	private boolean dispose(Object task) {
		if (task instanceof Rejectable rejectable) {
			try {
				rejectable.rejectedByClosedLoop();
			}
			catch (RuntimeException ex) {
				logger.error("Handling the rejection of {} by closed EventLoop '{}' failed", task, this.name, ex);
			}
			return true;
		}
		return false;
	}

	/** A task that can still be honoured, or failed cleanly, when a closed loop refuses it. */
	interface Rejectable {

		/** The loop closed before it could run this task; called on whichever thread found it. */
		void rejectedByClosedLoop();

	}

	/**
	 * A task with what to do instead if the loop turns out to be closed.
	 * @param task what to run on the loop
	 * @param onRejected what to do when the loop refuses it
	 * @return the combined task
	 */
	static Runnable orElse(Runnable task, Runnable onRejected) {
		return new FallbackTask(task, onRejected);
	}

	private record FallbackTask(Runnable task, Runnable onRejected) implements Runnable, Rejectable {

		@Override
		public void run() {
			this.task.run();
		}

		@Override
		public void rejectedByClosedLoop() {
			this.onRejected.run();
		}

		@Override
		public String toString() {
			return this.task.toString();
		}

	}

	/**
	 * Schedules the next delivery of a future's done-callbacks. Loop thread only (futures are
	 * confined to it).
	 * @param future the future whose callbacks are due
	 */
	void scheduleCallbacksOf(Object future) {
		if (this.lifecycle == CLOSED) {
			this.rejected.incrementAndGet();
			throw new EventLoopClosedException("EventLoop '" + this.name + "' is closed; " + future
					+ " is complete but its done-callbacks cannot run; complete futures before their loop closes");
		}
		this.ready.add(future);
	}

	private EventLoopClosedException reject(Object callback) {
		this.rejected.incrementAndGet();
		return new EventLoopClosedException("EventLoop '" + this.name + "' is "
				+ ((this.lifecycle == CLOSED) ? "closed" : "closing") + " and rejected callback " + callback
				+ "; submit work before close(), or to a loop that is running");
	}

	private void wakeUp() {
		if ((int) SLEEP_STATE.getVolatile(this) == SLEEPING && SLEEP_STATE.compareAndSet(this, SLEEPING, AWAKE)) {
			this.wakeups.incrementAndGet();
			LockSupport.unpark(this.owner);
		}
	}

	private Runnable decorate(Runnable task) {
		UnaryOperator<Runnable> decorator = this.taskDecorator;
		return (decorator != null) ? decorator.apply(task) : task;
	}

	@Override
	public ScheduledCallback callLater(Duration delay, Runnable callback) {
		Objects.requireNonNull(delay, "delay");
		Objects.requireNonNull(callback, "callback");
		if (delay.isNegative()) {
			throw new IllegalArgumentException("'delay' must not be negative, was " + delay);
		}
		UnaryOperator<Runnable> decorator = this.taskDecorator;
		Runnable task = (decorator != null) ? decorator.apply(callback) : callback;
		long deadline = System.nanoTime() + saturatedNanos(delay);
		if (Thread.currentThread() == this.owner) {
			if (this.lifecycle == CLOSED) {
				throw reject(callback);
			}
			TimerTask timer = new TimerTask(deadline, this.timerSequence++, task, this.cancelledTimers);
			this.timers.add(timer);
			return timer;
		}
		if (this.lifecycle != RUNNING) {
			throw reject(callback);
		}
		TimerTask timer = new TimerTask(deadline, this.timerSequenceOffLoop.incrementAndGet(), task, this.cancelledTimers);
		this.inbox.offer(new TimerInsertion(timer));
		wakeUp();
		return timer;
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE / 4;
		}
	}

	@Override
	public <T extends @Nullable Object> LoopFuture<T> newFuture() {
		return new DefaultLoopFuture<>(this, this.detector.creationSite());
	}

	// ---------------------------------------------------------------- futures and hand-offs

	@Override
	public <T extends @Nullable Object> void addFuture(LoopFuture<T> future,
			Consumer<? super LoopFuture<T>> callback) {
		Objects.requireNonNull(future, "future");
		Objects.requireNonNull(callback, "callback");
		AddFutureCallback<LoopFuture<T>> task = new AddFutureCallback<>(callback, future);
		if (future instanceof DefaultLoopFuture<T> own && own.loop == this) {
			if (inLoopThread()) {
				own.addDoneCallback(task);
			}
			else {
				execute(() -> own.addDoneCallback(task));
			}
		}
		else if (future instanceof DefaultLoopFuture<T> foreign) {
			// Wait on the future's own loop, then hop here.
			Runnable delivered = decorate(task);
			foreign.loop.execute(() -> foreign.addDoneCallback((done) -> tryDeliver(delivered)));
		}
		else if (future instanceof CompletedLoopFuture<T>) {
			execute(task); // execute decorates
		}
		else {
			throw new IllegalArgumentException("'future' must be made by Eddy (EventLoop.newFuture, LoopFuture.completed"
					+ " or LoopFuture.failed), was " + future.getClass().getName());
		}
	}

	@Override
	public <T extends @Nullable Object> void addFuture(CompletionStage<T> stage,
			Consumer<? super CompletionStage<T>> callback) {
		Objects.requireNonNull(stage, "stage");
		Objects.requireNonNull(callback, "callback");
		if (this.lifecycle != RUNNING && !inLoopThread()) {
			throw reject(callback);
		}
		Runnable task = decorate(new AddFutureCallback<>(callback, stage));
		EddyCompletableFuture.whenCompleteWithoutObserving(stage, (value, failure) -> tryDeliver(task)); // GC-5
	}

	@Override
	public <T extends @Nullable Object> LoopFuture<T> runInExecutor(Executor executor, Callable<? extends T> task) {
		Objects.requireNonNull(executor, "executor");
		Objects.requireNonNull(task, "task");
		if (this.lifecycle != RUNNING && !inLoopThread()) {
			throw reject(task);
		}
		DefaultLoopFuture<T> future = new DefaultLoopFuture<>(this, this.detector.creationSite());
		awaitHandOff(future);
		boolean named = executor instanceof HandOffExecutor;
		Runnable job = () -> {
			T value = null;
			Throwable failure = null;
			try {
				value = task.call();
			}
			catch (Throwable ex) {
				failure = ex;
			}
			completeHandOff(future, value, failure);
			if (failure != null && named) {
				// The outcome is delivered; the throw only lets the named executor count a failure.
				if (failure instanceof Error error) {
					throw error;
				}
				throw (failure instanceof RuntimeException runtime) ? runtime : new java.util.concurrent.CompletionException(failure);
			}
		};
		try {
			if (executor instanceof HandOffExecutor handOff) {
				handOff.execute(job, (reason) -> completeHandOff(future, null, reason));
			}
			else {
				executor.execute(job);
			}
		}
		catch (RuntimeException | Error ex) {
			// Usually a RejectedExecutionException; whatever it is, the future carries it instead of staying pending.
			completeHandOff(future, null, ex);
		}
		return future;
	}

	/**
	 * Registers a future of this loop that another thread will complete through
	 * {@link #completeHandOff}; close cancels it if that never happens.
	 * @param future the future
	 */
	void awaitHandOff(DefaultLoopFuture<?> future) {
		this.pendingHandOffs.add(future);
	}

	/**
	 * The future registered with {@link #awaitHandOff} is being completed on the loop directly.
	 * @param future the future
	 */
	void handOffDone(DefaultLoopFuture<?> future) {
		if (!this.pendingHandOffs.isEmpty()) {
			this.pendingHandOffs.remove(future);
		}
	}

	/**
	 * Completes a future of this loop from any thread, always in a later loop iteration
	 * (ROE-5). If the future is done by then (cancelled), the outcome is dropped, as
	 * {@code chain_future} does (CH-5).
	 * @param <T> the result type
	 * @param future the future
	 * @param value the result, if {@code failure} is null
	 * @param failure the failure, or null
	 */
	<T extends @Nullable Object> void completeHandOff(DefaultLoopFuture<T> future, @Nullable T value,
			@Nullable Throwable failure) {
		completeHandOff(future, value, failure, null);
	}

	/**
	 * As {@link #completeHandOff(DefaultLoopFuture, Object, Throwable)}, for an outcome copied
	 * from {@code source}: the source's failure counts as observed only if it is copied (CH-8).
	 * @param <T> the result type
	 * @param future the future
	 * @param value the result, if {@code failure} is null
	 * @param failure the failure, or null
	 * @param source the stage the outcome comes from, or null
	 */
	<T extends @Nullable Object> void completeHandOff(DefaultLoopFuture<T> future, @Nullable T value,
			@Nullable Throwable failure, @Nullable CompletionStage<?> source) {
		if (this.lifecycle == CLOSED && !this.pendingHandOffs.contains(future)) {
			// The close (or the user) already cancelled this future: the late outcome is dropped, as chain_future does (ROE-9).
			logger.debug("EventLoop '{}' is closed; dropped the late outcome of {}", this.name, future, failure);
			return;
		}
		tryDeliver(new HandOff<>(this, future, value, failure, source));
	}

	/** Completes a hand-off future on the loop. */
	private static final class HandOff<T extends @Nullable Object> implements Runnable {

		private final DefaultEventLoop loop;

		private final DefaultLoopFuture<T> future;

		private final @Nullable T value;

		private final @Nullable Throwable failure;

		private final @Nullable CompletionStage<?> source;

		HandOff(DefaultEventLoop loop, DefaultLoopFuture<T> future, @Nullable T value, @Nullable Throwable failure,
				@Nullable CompletionStage<?> source) {
			this.loop = loop;
			this.future = future;
			this.value = value;
			this.failure = failure;
			this.source = source;
		}

		@Override
		@SuppressWarnings("unchecked")
		public void run() {
			this.loop.pendingHandOffs.remove(this.future);
			if (this.future.done()) {
				if (this.failure != null) {
					logger.debug("Outcome of {} dropped: the future was already done", this.future, this.failure);
				}
				return; // the source keeps its duty to be observed (CH-8)
			}
			if (this.source != null) {
				EddyCompletableFuture.observe(this.source); // copied: the duty moves to the target
			}
			if (this.failure instanceof CancellationException cancellation) {
				// D-1: a cancelled source cancels the target (Tornado would leave it pending forever).
				this.future.cancel(cancellation.getMessage());
			}
			else if (this.failure != null) {
				this.future.setException(this.failure);
			}
			else {
				this.future.setResult(Nullness.result(this.value));
			}
		}

		@Override
		public String toString() {
			return "hand-off to " + this.future;
		}

	}

	/** Adds a timer queued by another thread. */
	private final class TimerInsertion implements Runnable, Rejectable {

		private final TimerTask timer;

		TimerInsertion(TimerTask timer) {
			this.timer = timer;
		}

		@Override
		public void run() {
			DefaultEventLoop.this.timers.add(this.timer);
		}

		@Override
		public void rejectedByClosedLoop() {
			this.timer.cancel();
		}

		@Override
		public String toString() {
			return "insert " + this.timer;
		}

	}

	// ---------------------------------------------------------------- submit and runSync

	@Override
	public <T extends @Nullable Object> CompletableFuture<T> submit(Supplier<? extends LoopFuture<T>> supplier) {
		Objects.requireNonNull(supplier, "supplier");
		EddyCompletableFuture<T> result = EddyCompletableFuture.tracked(this, this.detector, this.name, this.completableLabel);
		execute(() -> {
			LoopFuture<T> future;
			try {
				future = requireFuture(supplier.get());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
				return;
			}
			DefaultFutures.copyWhenDone(future, result);
		});
		return result;
	}

	// ---------------------------------------------------------------- runSync

	@Override
	public <T extends @Nullable Object> T runSync(Supplier<? extends LoopFuture<T>> supplier, Duration timeout)
			throws TimeoutException, InterruptedException {
		Objects.requireNonNull(supplier, "supplier");
		Objects.requireNonNull(timeout, "timeout");
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("'timeout' must be positive, was " + timeout);
		}
		DefaultEventLoop callerLoop = currentOrNull();
		if (!this.ownThread && Thread.currentThread() == this.owner) {
			checkDriver("runSync");
			return driveUntilDone(supplier, timeout);
		}
		if (callerLoop != null) {
			throw new IllegalStateException("runSync called on the thread of EventLoop '" + callerLoop.name
					+ "', which it would block" + ((callerLoop == this) ? " forever (deadlock)" : "")
					+ "; chain with addDoneCallback(...) or Futures instead of blocking a loop thread");
		}
		CompletableFuture<Outcome<T>> outcome = new CompletableFuture<>();
		AtomicReference<@Nullable LoopFuture<T>> started = new AtomicReference<>();
		execute(() -> {
			try {
				LoopFuture<T> future = requireFuture(supplier.get());
				started.set(future);
				future.addDoneCallback((done) -> outcome.complete(Outcome.of(done)));
			}
			catch (Throwable ex) {
				outcome.complete(new Outcome<>(null, ex));
			}
		});
		try {
			return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS).get();
		}
		catch (InterruptedException ex) {
			cancelStarted(started, "runSync on EventLoop '" + this.name + "' was interrupted");
			throw ex;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("unreachable: runSync outcomes complete normally", ex);
		}
		catch (TimeoutException ex) {
			String message = "runSync on EventLoop '" + this.name + "' timed out after " + timeout;
			cancelStarted(started, message);
			throw new TimeoutException(message + "; the future was cancelled");
		}
	}

	private <T extends @Nullable Object> void cancelStarted(AtomicReference<@Nullable LoopFuture<T>> started, String message) {
		tryDeliver(() -> {
			LoopFuture<T> future = started.get();
			if (future != null) {
				future.cancel(message);
			}
		});
	}

	private <T extends @Nullable Object> LoopFuture<T> requireFuture(@Nullable LoopFuture<T> future) {
		if (future == null) {
			throw new NullPointerException("The supplier returned null instead of a future of EventLoop '" + this.name
					+ "'; return loop.newFuture() or LoopFuture.completed(value)");
		}
		return future;
	}

	private <T extends @Nullable Object> T driveUntilDone(Supplier<? extends LoopFuture<T>> supplier, Duration timeout)
			throws TimeoutException, InterruptedException {
		long deadline = System.nanoTime() + saturatedNanos(timeout);
		LoopFuture<T> future = requireFuture(supplier.get());
		while (!future.done()) {
			if (Thread.interrupted()) {
				throw new InterruptedException("runSync on EventLoop '" + this.name + "' interrupted");
			}
			int ran = runOnce();
			long remaining = deadline - System.nanoTime();
			if (!future.done() && remaining <= 0) {
				String message = "runSync on EventLoop '" + this.name + "' timed out after " + timeout;
				future.cancel(message);
				throw new TimeoutException(message + "; the future was cancelled");
			}
			if (ran == 0 && !future.done()) {
				sleepUntilWork(remaining);
			}
		}
		return future.result();
	}

	/** What {@code result()} returned or threw, carried across threads without re-wrapping. */
	private record Outcome<T extends @Nullable Object>(@Nullable T value, @Nullable Throwable thrown) {

		static <T extends @Nullable Object> Outcome<T> of(LoopFuture<T> done) {
			try {
				return new Outcome<>(done.result(), null);
			}
			catch (Throwable ex) {
				return new Outcome<>(null, ex);
			}
		}

		@SuppressWarnings("NullAway")
		T get() {
			Throwable failure = this.thrown;
			if (failure == null) {
				return this.value;
			}
			if (failure instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (failure instanceof Error error) {
				throw error;
			}
			throw new java.util.concurrent.CompletionException(failure); // a supplier cannot throw checked; kept for safety
		}

	}

	// ---------------------------------------------------------------- driving

	@Override
	public int runOnce() {
		checkDriver("runOnce");
		int ran = iterate();
		finishCloseIfRequested();
		return ran;
	}

	@Override
	public int runUntilIdle() {
		checkDriver("runUntilIdle");
		int total = 0;
		int ran;
		while ((ran = iterate()) > 0) {
			total += ran;
		}
		finishCloseIfRequested();
		return total;
	}

	@Override
	public void run() {
		checkDriver("run");
		while (!this.stopRequested && this.lifecycle == RUNNING) {
			iterate();
			if (this.ready.isEmpty() && !this.stopRequested && this.lifecycle == RUNNING) {
				sleepUntilWork(-1, true);
			}
		}
		this.stopRequested = false;
		if (this.lifecycle == CLOSING) {
			drainAndTerminate();
		}
	}

	@Override
	public void stop() {
		if (this.ownThread) {
			throw new IllegalStateException("EventLoop '" + this.name
					+ "' runs on its own thread and cannot be stopped from outside; call close() to shut it down");
		}
		this.stopRequested = true;
		LockSupport.unpark(this.owner);
	}

	/** A close requested from a callback, or from another thread, completes once the owner is between iterations. */
	private void finishCloseIfRequested() {
		if (this.lifecycle == CLOSING && this.iterationDepth == 0 && !this.draining) {
			drainAndTerminate();
		}
	}

	private void checkDriver(String method) {
		if (this.ownThread) {
			throw new IllegalStateException(method + "() is for loops made by EventLoop.onCurrentThread(name); EventLoop '"
					+ this.name + "' runs on its own thread; hand it work with execute(...)");
		}
		if (Thread.currentThread() != this.owner) {
			throw new IllegalStateException(method + "() on EventLoop '" + this.name + "' must be called by its owning thread '"
					+ this.owner.getName() + "' but was called from thread '" + Thread.currentThread().getName() + "'");
		}
		if (this.iterationDepth > 0) {
			throw new IllegalStateException(method + "() called from inside a callback of EventLoop '" + this.name
					+ "'; a callback must not drive its own loop: schedule the rest with execute(...) or addDoneCallback(...)");
		}
		if (this.lifecycle == CLOSED) {
			throw new EventLoopClosedException("EventLoop '" + this.name + "' is closed; " + method
					+ "() has nothing to run; create a new loop");
		}
	}

	private void runOnOwnThread() {
		try {
			while (this.lifecycle == RUNNING) {
				iterate();
				if (this.ready.isEmpty() && this.lifecycle == RUNNING) {
					sleepUntilWork(-1);
				}
			}
			drainAndTerminate();
		}
		catch (Throwable ex) {
			logger.error("EventLoop '{}' stopped unexpectedly", this.name, ex);
			throw ex;
		}
		finally {
			this.watchdog.stop();
			this.terminated.countDown();
		}
	}

	/**
	 * One iteration: due timers and the inbox join the ready queue, then exactly the callbacks
	 * that were ready when it began run (CB-4, CB-5).
	 * @return callbacks run
	 */
	private int iterate() {
		BUSY.setOpaque(this, true);
		this.iterationDepth++;
		try {
			if (!this.timers.isEmpty()) {
				purgeCancelledTimers();
				moveDueTimers(System.nanoTime());
			}
			Object fromInbox;
			while ((fromInbox = this.inbox.poll()) != null) {
				this.ready.add(fromInbox);
			}
			int ran = 0;
			for (int todo = this.ready.size(); todo > 0; todo--) {
				Object task = this.ready.poll();
				if (task instanceof DefaultLoopFuture<?> future) {
					ran += future.deliverCallbacks();
				}
				else if (task instanceof TimerInsertion insertion) {
					insertion.run();
				}
				else {
					invoke(task, null);
					ran++;
				}
			}
			return ran;
		}
		finally {
			this.iterationDepth--;
			if (this.iterationDepth == 0) {
				BUSY.setOpaque(this, false);
			}
		}
	}

	/** Cancelled timers wait in the heap until due; purge them when they are many, as asyncio does. */
	private void purgeCancelledTimers() {
		int cancelled = this.cancelledTimers.get();
		if (cancelled > 64 && cancelled > this.timers.size() / 2) {
			this.cancelledTimers.addAndGet(-cancelled);
			this.timers.removeIf(TimerTask::cancelled);
		}
	}

	private void moveDueTimers(long now) {
		TimerTask timer;
		while ((timer = this.timers.peek()) != null && timer.deadline - now <= 0) {
			this.timers.poll();
			if (timer.start()) {
				this.ready.add(timer.callback);
			}
		}
	}

	/**
	 * Runs one callback, counting it, and timing it in debug mode. A throw is logged
	 * (rate-limited) and counted, and the loop goes on (CB-9).
	 * @param callback a {@link Runnable}, or a done-callback ({@link Consumer}) when
	 * {@code future} is set
	 * @param future the future a done-callback receives, else null
	 */
	@SuppressWarnings("unchecked")
	void invoke(Object callback, @Nullable Object future) {
		PROGRESS.setOpaque(this, (long) PROGRESS.getOpaque(this) + 1);
		long started = this.debug ? System.nanoTime() : 0;
		try {
			if (future == null) {
				((Runnable) callback).run();
			}
			else {
				((Consumer<Object>) callback).accept(future);
			}
			SUCCEEDED.setOpaque(this, (long) SUCCEEDED.getOpaque(this) + 1);
		}
		catch (Throwable ex) {
			callbackFailed(callback, future, ex);
		}
		if (this.debug) {
			long took = System.nanoTime() - started;
			if (took > this.slowCallbackNanos) {
				SLOW.setOpaque(this, (long) SLOW.getOpaque(this) + 1);
				logger.warn("Executing callback {}{} on EventLoop '{}' took {} ms (slow-callback threshold {} ms)", callback,
						(future != null) ? " for " + future : "", this.name, took / 1_000_000,
						this.slowCallbackNanos / 1_000_000);
			}
		}
	}

	private void callbackFailed(Object callback, @Nullable Object future, Throwable ex) {
		FAILED.setOpaque(this, (long) FAILED.getOpaque(this) + 1);
		if (ex instanceof AddFutureCallback.QuietCancellation) {
			return; // IOL-2: counted, not logged
		}
		this.callbackErrors.error(ex.getClass().getName() + "|" + callback.getClass().getName(),
				"Exception in callback " + callback + ((future != null) ? " for " + future : "") + " on EventLoop '"
						+ this.name + "'",
				ex);
	}

	private void sleepUntilWork(long maxNanos) {
		sleepUntilWork(maxNanos, false);
	}

	private void sleepUntilWork(long maxNanos, boolean wakeOnStop) {
		long timeout = maxNanos;
		TimerTask next = this.timers.peek();
		if (next != null) {
			long untilTimer = next.deadline - System.nanoTime();
			if (untilTimer <= 0) {
				return;
			}
			timeout = (timeout < 0) ? untilTimer : Math.min(timeout, untilTimer);
		}
		// Spin briefly before announcing sleep: a producer in the middle of a burst then needs no wake-up
		// (about 0.5 instead of 5.8 wake-ups per burst of 10, see benchmarks/RESULTS.md).
		for (int spin = 0; spin < SPINS_BEFORE_SLEEP; spin++) {
			if (!this.inbox.isEmpty()) {
				return;
			}
			Thread.onSpinWait();
		}
		SLEEP_STATE.setVolatile(this, SLEEPING);
		if (!this.inbox.isEmpty() || (wakeOnStop && this.stopRequested) || this.lifecycle != RUNNING && !this.draining) {
			SLEEP_STATE.setVolatile(this, AWAKE);
			return;
		}
		BUSY.setOpaque(this, false);
		Thread.interrupted(); // a callback's interrupt must not turn sleeping into spinning
		if (timeout < 0) {
			LockSupport.park(this);
		}
		else {
			LockSupport.parkNanos(this, timeout);
		}
		SLEEP_STATE.setVolatile(this, AWAKE);
	}

	// ---------------------------------------------------------------- closing

	@Override
	public void close() {
		if (this.lifecycle == RUNNING) {
			this.lifecycle = CLOSING;
		}
		if (this.ownThread) {
			LockSupport.unpark(this.owner);
			if (!inLoopThread()) {
				awaitUninterruptibly();
			}
			return;
		}
		if (inLoopThread()) {
			if (this.iterationDepth == 0 && this.lifecycle != CLOSED) {
				drainAndTerminate();
			}
			// Inside a callback: run() or the caller's next runOnce finishes the close.
		}
		else {
			this.stopRequested = true;
			LockSupport.unpark(this.owner);
		}
	}

	/**
	 * Waits for the loop thread to finish its drain, at most the drain timeout plus a grace period:
	 * a callback that never returns must not hang the caller's shutdown forever.
	 */
	private void awaitUninterruptibly() {
		long deadline = System.nanoTime() + saturatedNanos(this.drainTimeout) + TimeUnit.SECONDS.toNanos(CLOSE_GRACE_SECONDS);
		boolean interrupted = false;
		boolean done = false;
		while (!done) {
			try {
				long remaining = deadline - System.nanoTime();
				done = this.terminated.await(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
				if (!done) {
					LoopWatchdog.BlockedLoopException stack = new LoopWatchdog.BlockedLoopException(this.owner);
					logger.error("EventLoop '{}' did not stop within its drain timeout of {} plus {} s: a callback does not return;"
							+ " close() gives up waiting (the loop thread stays at the stack shown)", this.name, this.drainTimeout,
							CLOSE_GRACE_SECONDS, stack);
					break;
				}
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Drains until quiet or the drain timeout, cancels the futures still waiting for other
	 * threads, runs their callbacks, then closes and accounts for anything left.
	 */
	private void drainAndTerminate() {
		this.draining = true;
		try {
			cancelTimers();
			long deadline = System.nanoTime() + saturatedNanos(this.drainTimeout);
			while (true) {
				iterate();
				// A hand-off future completed or cancelled by someone else waits for nothing any more.
				this.pendingHandOffs.removeIf(DefaultLoopFuture::done);
				boolean quiet = this.ready.isEmpty() && this.inbox.isEmpty() && this.pendingHandOffs.isEmpty();
				long remaining = deadline - System.nanoTime();
				if (quiet || remaining <= 0) {
					break;
				}
				if (this.ready.isEmpty()) {
					sleepUntilWork(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)));
				}
			}
			List<DefaultLoopFuture<?>> abandoned = new ArrayList<>(this.pendingHandOffs);
			this.pendingHandOffs.clear();
			int cancelled = 0;
			for (DefaultLoopFuture<?> future : abandoned) {
				if (future.cancel("EventLoop '" + this.name + "' closed before the work behind this future completed (drain timeout "
						+ this.drainTimeout + ")")) {
					cancelled++;
				}
			}
			for (int i = 0; i < MAX_FINAL_ITERATIONS && !(this.ready.isEmpty() && this.inbox.isEmpty()); i++) {
				iterate();
			}
			cancelTimers(); // including those scheduled while draining
			this.lifecycle = CLOSED;
			int leftover = 0;
			Object task;
			while ((task = this.ready.poll()) != null) {
				if (!dispose(task)) {
					leftover++;
				}
			}
			disposeLeftovers(null);
			if (leftover > 0) {
				this.rejected.addAndGet(leftover);
				logger.error("EventLoop '{}' closed with {} callback(s) that never ran (still queued after the drain timeout of {});"
						+ " they were counted as rejected", this.name, leftover, this.drainTimeout);
			}
			if (cancelled > 0) {
				logger.warn("EventLoop '{}' cancelled {} future(s) whose work had not completed when it closed", this.name,
						cancelled);
			}
		}
		finally {
			this.draining = false;
			this.lifecycle = CLOSED;
			if (!this.ownThread) {
				if (DRIVEN_BY_THIS_THREAD.get() == this) {
					DRIVEN_BY_THIS_THREAD.remove();
				}
				this.watchdog.stop();
				this.terminated.countDown();
			}
			BUSY.setOpaque(this, false);
		}
	}

	private void cancelTimers() {
		int cancelled = 0;
		TimerTask timer;
		while ((timer = this.timers.poll()) != null) {
			if (timer.cancel()) {
				cancelled++;
			}
		}
		if (cancelled > 0) {
			logger.info("EventLoop '{}' cancelled {} scheduled callback(s) that were not due when it closed", this.name,
					cancelled);
		}
	}

	@Override
	public boolean awaitTermination(Duration timeout) throws InterruptedException {
		Objects.requireNonNull(timeout, "timeout");
		return this.terminated.await(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
	}

	@Override
	public boolean isClosing() {
		return this.lifecycle != RUNNING;
	}

	@Override
	public boolean isTerminated() {
		return this.terminated.getCount() == 0;
	}

	// ---------------------------------------------------------------- statistics

	@Override
	public LoopStatistics statistics() {
		return this;
	}

	@Override
	public long callbacksSucceeded() {
		return (long) SUCCEEDED.getOpaque(this);
	}

	@Override
	public long callbacksFailed() {
		return (long) FAILED.getOpaque(this);
	}

	@Override
	public long callbacksRejected() {
		return this.rejected.get();
	}

	@Override
	public long wakeups() {
		return this.wakeups.get();
	}

	@Override
	public long slowCallbacks() {
		return (long) SLOW.getOpaque(this);
	}

	@Override
	public int pending() {
		// ArrayDeque.size() from another thread is a racy read of two ints; good enough for a gauge.
		return this.inbox.size() + this.ready.size();
	}

	@Override
	public long progress() {
		return (long) PROGRESS.getOpaque(this);
	}

	@Override
	public boolean busy() {
		return (boolean) BUSY.getOpaque(this);
	}

	@Override
	public long blockedEpisodes() {
		return this.blockedEpisodes.get();
	}

	@Override
	public boolean blocked() {
		return this.blockedNow;
	}

	@Override
	public boolean alive() {
		return !isTerminated() && (!this.ownThread || this.owner.isAlive() || this.owner.getState() == Thread.State.NEW);
	}

	void blockedEpisodeStarted() {
		this.blockedEpisodes.incrementAndGet();
		this.blockedNow = true;
	}

	void blockedEpisodeEnded() {
		this.blockedNow = false;
	}

	@Override
	public String toString() {
		String state = switch (this.lifecycle) {
			case RUNNING -> "running";
			case CLOSING -> "closing";
			default -> "closed";
		};
		return "EventLoop[" + this.name + "](" + state + ")";
	}

}
