package dev.eddy.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.EventLoopClosedException;
import dev.eddy.loop.EventLoopFullException;
import dev.eddy.loop.LoopStatistics;
import dev.eddy.loop.ScheduledCallback;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop: its identity, thread or owner, lifecycle and the entry points of
 * {@link EventLoop}, each checking its caller and delegating to the class that does the job
 * (Netty splits the same ground into {@code AbstractScheduledEventExecutor},
 * {@code SingleThreadEventExecutor} and {@code DefaultEventExecutor}): other threads reach the
 * loop through its {@link LoopInbox} (bounded, with the sleep/wake-up hand-off); timers live in
 * {@link LoopTimers}; {@link LoopDriver} runs the iterations and each way of driving the loop;
 * {@link CallbackRunner} runs one callback; {@link LoopShutdown} drains and terminates;
 * {@link HandOffs} holds the futures waiting on other threads; work for a pool goes through
 * {@link ExecutorHop}, and {@code submit}/{@code runSync} from other threads through
 * {@link SupplierHop}; {@link LoopCounters} keeps the counts. Loop-thread state (the ready
 * queue, the timer heap, the counters' writes) is touched only by the owning thread.
 * <p>Thread-safe where {@link EventLoop} says so; the rest is loop-confined.
 */
public final class DefaultEventLoop implements EventLoop {

	static final Logger logger = LoggerFactory.getLogger("dev.eddy.loop");

	private static final ThreadLocal<@Nullable DefaultEventLoop> DRIVEN_BY_THIS_THREAD = new ThreadLocal<>();

	static final int RUNNING = 0;

	static final int CLOSING = 1;

	static final int CLOSED = 2;

	/**
	 * Longest wait the loop computes with, about 73 years: every longer {@link Duration} (up to
	 * {@code Duration.ofSeconds(Long.MAX_VALUE)}) saturates to it. A quarter of the {@code long}
	 * range keeps every deadline difference ({@code a - b} of two {@link System#nanoTime()}
	 * points) free of overflow, whatever value {@code nanoTime} starts at.
	 */
	static final long MAX_NANOS = Long.MAX_VALUE / 4;

	final String name;

	/** How futures of this loop introduce themselves in {@code toString()} and reports. */
	final String futureLabel;

	final UnobservedFailureDetector detector;

	/** Where the CompletableFuture views of its futures and of submit() come from (one per loop, shared). */
	final FutureOrigin completableOrigin;

	/** Where the futures of {@code Futures.allOf} on this loop come from (one per loop, shared). */
	final FutureOrigin allOfOrigin;

	final boolean ownThread;

	private final Thread owner;

	/** Whether this loop is current on its owner only inside {@link #bindToOwner()} scopes; set before publication. */
	private boolean bindable;

	final Duration drainTimeout;

	/** Most callbacks queued by other threads plus pending timers ({@code eddy.loop.queue-capacity}); enforced by {@link #inbox}. */
	private final int capacity;

	private final @Nullable UnaryOperator<Runnable> taskDecorator;

	/** The counters behind {@link #statistics()}. */
	final LoopCounters counters;

	/** How other threads queue work and wake the loop; bounded by {@code eddy.loop.queue-capacity}. */
	final LoopInbox inbox;

	final LoopTimers timers;

	/** The futures of this loop waiting for another thread's outcome (close cancels them). */
	final HandOffs handOffs;

	/** Runs the loop: iterations, the sleep between them, and each way of driving it. */
	final LoopDriver driver;

	/** How the loop ends: drain at close, or termination after its thread or owner died. */
	private final LoopShutdown shutdown;

	/** Runnables and futures whose callbacks are due; loop thread only. */
	final ReadyQueue ready = new ReadyQueue();

	/** Rate-limits the errors of callbacks and of drops at close. */
	final RateLimitedLog callbackErrors = RateLimitedLog.tenPer10Seconds(logger);

	final LoopWatchdog watchdog;

	volatile int lifecycle = RUNNING;

	volatile boolean stopRequested;

	boolean draining; // loop thread only

	private DefaultEventLoop(LoopSettings settings, boolean ownThread) {
		this.name = settings.name();
		this.futureLabel = "LoopFuture[loop=" + settings.name() + "]";
		this.detector = settings.detector();
		this.completableOrigin = FutureOrigin.tracked(this, this.detector, settings.name(),
				EddyCompletableFuture.labelFor(settings.name()));
		this.allOfOrigin = FutureOrigin.tracked(null, this.detector, "Futures.allOf",
				EddyCompletableFuture.labelFor("Futures.allOf"));
		this.ownThread = ownThread;
		this.drainTimeout = settings.drainTimeout();
		this.taskDecorator = settings.taskDecorator();
		this.counters = new LoopCounters(this);
		this.capacity = settings.queueCapacity();
		this.inbox = new LoopInbox(this, this.counters, this.capacity);
		this.timers = new LoopTimers(this, this.inbox);
		this.handOffs = new HandOffs(this);
		this.driver = new LoopDriver(this,
				new CallbackRunner(this, settings.debug() ? saturatedNanos(settings.slowCallbackThreshold()) : -1));
		LoopShutdown shutdown = new LoopShutdown(this);
		this.shutdown = shutdown;
		this.owner = ownThread ? new EventLoopThread(this, () -> this.driver.runOnOwnThread(shutdown), settings.name())
				: Thread.currentThread();
		this.watchdog = LoopWatchdog.watch(this, saturatedNanos(settings.blockedThreshold()));
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
		enqueue(decorate(callback), callback);
	}

	/**
	 * Queues new work: on the loop thread at once; from another thread bounded by the capacity.
	 * @param task what runs
	 * @param describedAs what a rejection message names (the user's callback, never an
	 * internal lambda)
	 */
	void enqueue(Runnable task, Object describedAs) {
		if (Thread.currentThread() == this.owner) {
			if (this.lifecycle == CLOSED) {
				throw reject(describedAs);
			}
			this.ready.add(task);
		}
		else {
			if (this.lifecycle != RUNNING || ownerDied()) {
				throw reject(describedAs);
			}
			this.inbox.reserve(describedAs);
			this.inbox.offer(task);
			if (this.lifecycle == CLOSED && this.inbox.disposeLeftovers(task)) {
				throw reject(describedAs); // the loop closed between the check and the offer
			}
		}
	}

	/**
	 * Queues work that completes something already in flight (a hand-off from another thread, a
	 * timer insertion): never refused for capacity, and accepted while the loop drains at close,
	 * unlike new work from other threads ({@link LoopInbox#deliver}).
	 * @param task the task
	 * @return whether it was queued; when not, it was counted and logged as rejected
	 */
	boolean tryDeliver(Runnable task) {
		return this.inbox.deliver(task, LoopInbox.UNBOUNDED);
	}

	/**
	 * New work from another thread that reports through a future of its own
	 * ({@code toCompletableFuture()}): bounded by the capacity ({@link LoopInbox#tryQueue}).
	 * @param task the task
	 * @param failOnFull completed with the {@link EventLoopFullException} when the loop is full
	 * @return false when the loop is closed and the task was not queued: the caller tells its future
	 */
	boolean tryQueue(Runnable task, CompletableFuture<?> failOnFull) {
		return this.inbox.tryQueue(task, failOnFull);
	}

	/**
	 * Tells a {@link Rejectable} task left over at close that it will not run; new work with a
	 * fallback ({@link #orElse}, as {@code submit} and {@code runSync} queue it) is counted as
	 * rejected here, a timer insertion is not (its timer is cancelled).
	 * @param task a task that never ran
	 * @return whether the task was accounted for; if not, the caller counts it as rejected
	 */
	boolean dispose(Object task) {
		if (task instanceof Rejectable.Fallback) {
			this.counters.countRejected(); // work refused by the closed loop, like any other; its fallback tells the caller
		}
		if (task instanceof Rejectable rejectable) {
			try {
				rejectable.rejectedByClosedLoop();
			}
			catch (Throwable ex) {
				Describe.rethrowIfUnrecoverable(ex);
				CallbackRunner.logSafely("Handling the rejection of " + Describe.value(task) + " by closed EventLoop '" + this.name + "' failed",
						ex);
			}
			return true;
		}
		return false;
	}

	/**
	 * New work with what to do instead if the loop turns out to be closed ({@link Rejectable#orElse}).
	 * @param task what to run on the loop
	 * @param onRejected what to do when the loop refuses it
	 * @return the combined task
	 */
	static Runnable orElse(Runnable task, Runnable onRejected) {
		return Rejectable.orElse(task, onRejected);
	}

	/** @return whether {@link #scheduleCallbacksOf} refuses: the loop is closed */
	boolean refusesCallbacks() {
		return this.lifecycle == CLOSED;
	}

	/**
	 * Schedules the next delivery of a future's done-callbacks. Loop thread only (futures are
	 * confined to it).
	 * @param future the future whose callbacks are due
	 */
	void scheduleCallbacksOf(Object future) {
		if (this.lifecycle == CLOSED) {
			this.counters.countRejected();
			throw new EventLoopClosedException("EventLoop '" + this.name + "' is closed; " + future
					+ " is complete but its done-callbacks cannot run; complete futures before their loop closes");
		}
		this.ready.add(future);
	}

	private EventLoopClosedException reject(Object callback) {
		this.counters.countRejected();
		String died = this.shutdown.death();
		if (died != null) {
			return new EventLoopClosedException("EventLoop '" + this.name + "' is terminated (" + died + ") and rejected "
					+ Describe.value(callback) + "; create a new loop");
		}
		return new EventLoopClosedException("EventLoop '" + this.name + "' is "
				+ ((this.lifecycle == CLOSED) ? "closed" : "closing") + " and rejected callback " + Describe.value(callback)
				+ "; submit work before close(), or to a loop that is running");
	}

	Runnable decorate(Runnable task) {
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
		Runnable task = decorate(callback);
		long deadline = System.nanoTime() + saturatedNanos(delay); // MAX_NANOS at most: no overflow
		if (Thread.currentThread() == this.owner) {
			if (this.lifecycle == CLOSED) {
				throw reject(callback);
			}
			this.inbox.reserve(callback);
			return this.timers.newTimer(deadline, task, true);
		}
		if (this.lifecycle != RUNNING || ownerDied()) {
			throw reject(callback);
		}
		this.inbox.reserve(callback);
		LoopTimer timer = this.timers.newTimer(deadline, task, false);
		LoopTimers.Insertion insertion = this.timers.insertion(timer);
		this.inbox.offer(insertion);
		if (this.lifecycle == CLOSED && this.inbox.disposeLeftovers(insertion)) {
			timer.cancel();
			throw reject(callback); // the loop closed between the check and the offer
		}
		return timer;
	}

	/**
	 * A duration in nanoseconds for deadline arithmetic: saturated at {@link #MAX_NANOS} (about
	 * 73 years), so that {@code System.nanoTime() + saturatedNanos(d)} never overflows.
	 * @param duration a non-negative duration
	 * @return its nanoseconds, at most {@link #MAX_NANOS}
	 */
	static long saturatedNanos(Duration duration) {
		if (duration.getSeconds() >= MAX_NANOS / 1_000_000_000L) {
			return MAX_NANOS;
		}
		return Math.min(duration.toNanos(), MAX_NANOS);
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
				enqueue(decorate(() -> own.addDoneCallback(task)), callback);
			}
		}
		else if (future instanceof DefaultLoopFuture<T> foreign) {
			// Wait on the future's own loop, then hop here.
			Runnable delivered = decorate(task);
			foreign.loop.enqueue(foreign.loop.decorate(() -> foreign.addDoneCallback((done) -> tryDeliver(delivered))), callback);
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
		boolean onLoop = inLoopThread();
		if (this.lifecycle != RUNNING && !onLoop) {
			throw reject(callback);
		}
		Runnable task = decorate(new AddFutureCallback<>(callback, stage));
		if (onLoop) {
			EddyCompletableFuture.whenCompleteWithoutObserving(stage, (value, failure) -> tryDeliver(task)); // GC-5
			return;
		}
		// New work from another thread: its slot of the capacity is taken now and held until the callback is queued,
		// so that pending registrations cannot pile up unbounded, and their deliveries are never refused midway.
		this.inbox.reserve(callback);
		try {
			EddyCompletableFuture.whenCompleteWithoutObserving(stage, (value, failure) -> this.inbox.deliver(task, LoopInbox.RESERVED)); // GC-5
		}
		catch (RuntimeException | Error ex) {
			this.inbox.releaseSlot(); // not registered: nothing will use the slot
			throw ex;
		}
	}

	@Override
	public <T extends @Nullable Object> LoopFuture<T> runInExecutor(Executor executor, Callable<? extends T> task) {
		Objects.requireNonNull(executor, "executor");
		Objects.requireNonNull(task, "task");
		if (this.lifecycle != RUNNING && !inLoopThread()) {
			throw reject(task);
		}
		DefaultLoopFuture<T> future = this.handOffs.create();
		ExecutorHop.send(executor, this.handOffs.hopTo(future, task), null);
		return future;
	}

	/**
	 * A future registered with {@link HandOffs} is being completed on the loop directly
	 * (called by {@link DefaultLoopFuture} as it completes).
	 * @param future the future
	 */
	void handOffDone(DefaultLoopFuture<?> future) {
		this.handOffs.done(future);
	}

	// ---------------------------------------------------------------- submit and runSync

	@Override
	public <T extends @Nullable Object> CompletableFuture<T> submit(Supplier<? extends LoopFuture<T>> supplier) {
		Objects.requireNonNull(supplier, "supplier");
		return SupplierHop.submit(this, supplier);
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
			return this.driver.runSync(supplier, timeout);
		}
		if (callerLoop != null) {
			throw new IllegalStateException("runSync called on the thread of EventLoop '" + callerLoop.name
					+ "', which it would block" + ((callerLoop == this) ? " forever (deadlock)" : "")
					+ "; chain with addDoneCallback(...) or Futures instead of blocking a loop thread");
		}
		return SupplierHop.runSync(this, supplier, timeout);
	}

	// ---------------------------------------------------------------- driving

	@Override
	public int runOnce() {
		return this.driver.runOnce();
	}

	@Override
	public int runUntilIdle() {
		return this.driver.runUntilIdle();
	}

	@Override
	public void run() {
		this.driver.run();
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

	/** Drains and terminates, within the drain timeout. Loop thread only. */
	void drainAndTerminate() {
		this.shutdown.drainAndTerminate(saturatedNanos(this.drainTimeout));
	}

	/** The loop is no longer current on its owning thread (an onCurrentThread loop that terminated). */
	void clearCurrent() {
		if (DRIVEN_BY_THIS_THREAD.get() == this) {
			DRIVEN_BY_THIS_THREAD.remove();
		}
	}

	/**
	 * Whether this is an {@code onCurrentThread} loop whose owning thread ended without closing
	 * it; if so, terminates it (once, from whichever thread noticed).
	 * @return whether the loop is dead
	 */
	boolean ownerDied() {
		return !this.ownThread && this.shutdown.ownerDied();
	}

	/**
	 * Eddy's own bookkeeping in the ready queue, run outside the callback guard: a throw ends the loop.
	 * <p>A class, not an interface, for speed: the iteration asks every queued task whether it is
	 * one, and for a plain {@code Runnable} the answer is no. Against an interface a no is a scan
	 * of the task class's interfaces on every call (HotSpot before JDK 23 caches only a yes), which
	 * made draining plain callbacks 3x slower on JDK 17 ({@code LoopDrainBenchmark}); against a
	 * class it is one compare.
	 */
	abstract static class LoopInternal implements Runnable {
	}

	/**
	 * Runs one callback (counted, timed, its throw contained); called by the iteration and by
	 * {@link DefaultLoopFuture} for its done-callbacks. Loop thread only.
	 * @param callback a {@link Runnable}, or a done-callback ({@link Consumer}) when
	 * {@code future} is set
	 * @param future the future a done-callback receives, else null
	 */
	void invoke(Object callback, @Nullable Object future) {
		this.driver.invoke(callback, future);
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
				this.shutdown.awaitClosed();
			}
			return;
		}
		if (inLoopThread()) {
			if (!this.driver.insideIteration() && this.lifecycle != CLOSED) {
				drainAndTerminate();
			}
			// Inside a callback: run() or the caller's next runOnce finishes the close.
		}
		else {
			this.stopRequested = true;
			LockSupport.unpark(this.owner);
		}
	}

	@Override
	public boolean awaitTermination(Duration timeout) throws InterruptedException {
		Objects.requireNonNull(timeout, "timeout");
		if (timeout.isNegative()) {
			throw new IllegalArgumentException("'timeout' must not be negative, was " + timeout);
		}
		if (isTerminated() || ownerDied()) {
			return true;
		}
		if (inLoopThread()) {
			throw new IllegalStateException("awaitTermination called on the thread of EventLoop '" + this.name
					+ "', which it would block forever (deadlock); the loop terminates after this callback returns"
					+ (this.ownThread ? "" : " and the owner runs it again") + ": wait from another thread");
		}
		return this.shutdown.await(saturatedNanos(timeout));
	}

	@Override
	public boolean isClosing() {
		return this.lifecycle != RUNNING || ownerDied();
	}

	@Override
	public boolean isTerminated() {
		return this.shutdown.terminated() || ownerDied();
	}

	// ---------------------------------------------------------------- statistics

	@Override
	public LoopStatistics statistics() {
		return this.counters;
	}

	/** @return callbacks queued and ready: a racy read, good enough for a gauge */
	int pendingCount() {
		// ReadyQueue.size() from another thread is a racy read of an int.
		return this.inbox.size() + this.ready.size();
	}

	/** @return why the loop ended without a close (its thread failed, its owner ended), or null; any thread */
	@Nullable String terminationCause() {
		return this.shutdown.death();
	}

	/** @return whether the loop runs, or can still start, and did not die */
	boolean alive() {
		return !isTerminated() && this.shutdown.death() == null
				&& (!this.ownThread || this.owner.isAlive() || this.owner.getState() == Thread.State.NEW);
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
