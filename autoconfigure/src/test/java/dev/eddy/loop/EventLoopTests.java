package dev.eddy.loop;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.testsupport.LogCapture;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Behaviour of {@link EventLoop}: deterministic tests on loops driven by the test thread
 * ({@link EventLoop#onCurrentThread}) and bounded tests on loops with their own thread.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventLoopTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String LOOP_LOGGER = "dev.eddy.loop";

	private final List<EventLoop> loops = new ArrayList<>();

	private final List<ExecutorService> pools = new ArrayList<>();

	@AfterEach
	void closeEverything() throws InterruptedException {
		for (EventLoop loop : this.loops) {
			loop.close();
		}
		for (EventLoop loop : this.loops) {
			assertThat(loop.awaitTermination(WAIT)).as("%s terminated", loop).isTrue();
		}
		for (ExecutorService pool : this.pools) {
			pool.shutdownNow();
			assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(EventLoop.currentOrNull()).as("no loop left on the test thread").isNull();
	}

	private EventLoop driven(String name) {
		return track(EventLoop.onCurrentThread(name));
	}

	private EventLoop started(String name) {
		return track(EventLoop.create(name));
	}

	private EventLoop track(EventLoop loop) {
		this.loops.add(loop);
		return loop;
	}

	private ExecutorService pool(int threads) {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		this.pools.add(pool);
		return pool;
	}

	/** Runs {@code body} on an own-thread loop and returns its value, bounded. */
	private static <T> T onLoop(EventLoop loop, Callable<T> body) throws Exception {
		CompletableFuture<T> result = new CompletableFuture<>();
		loop.execute(() -> {
			try {
				result.complete(body.call());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		});
		return result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	/** Runs {@code body} on a fresh thread with the given name and returns its outcome, bounded. */
	private static <T> T onThread(String threadName, Callable<T> body) throws Exception {
		CompletableFuture<T> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(body.call());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		}, threadName);
		thread.start();
		try {
			return result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		finally {
			thread.join(WAIT.toMillis());
		}
	}

	private static Throwable failureOnThread(String threadName, Runnable body) throws Exception {
		return onThread(threadName, () -> {
			try {
				body.run();
			}
			catch (Throwable ex) {
				return ex;
			}
			throw new AssertionError("expected an exception on thread " + threadName);
		});
	}

	/** Waits, bounded, until the own-thread loop is parked (not inside an iteration) and stays so. */
	private static void awaitAsleep(EventLoop loop) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		int quietChecks = 0;
		long progress = -1;
		while (quietChecks < 5) {
			assertThat(System.nanoTime() - deadline).as("loop %s fell asleep in time", loop).isNegative();
			long now = loop.statistics().progress();
			if (!loop.statistics().busy() && now == progress) {
				quietChecks++;
			}
			else {
				quietChecks = 0;
			}
			progress = now;
			Thread.sleep(5);
		}
	}

	private static void drive(EventLoop loop, Supplier<Boolean> until) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!until.get()) {
			assertThat(System.nanoTime() - deadline).as("condition reached in time").isNegative();
			if (loop.runOnce() == 0) {
				Thread.sleep(1);
			}
		}
	}

	// ---------------------------------------------------------------- creation and current()

	@Test
	void create_namesThreadAfterLoop() throws Exception {
		EventLoop loop = started("orders-loop");
		assertThat(loop.name()).isEqualTo("orders-loop");
		assertThat(onLoop(loop, () -> Thread.currentThread().getName())).isEqualTo("orders-loop");
		assertThat(loop.inLoopThread()).isFalse();
		assertThat(onLoop(loop, loop::inLoopThread)).isTrue();
	}

	@Test
	@DisplayName("AF-1: current() on the loop thread returns that loop")
	void current_onLoopThread_returnsLoop() throws Exception {
		EventLoop loop = started("current-loop");
		assertThat(onLoop(loop, EventLoop::current)).isSameAs(loop);
		assertThat(onLoop(loop, EventLoop::currentOrNull)).isSameAs(loop);
	}

	@Test
	@DisplayName("AF-1: current() off every loop thread throws IllegalStateException naming the thread")
	void current_offLoop_throwsNamingThread() throws Exception {
		Throwable failure = failureOnThread("plain-worker-7", EventLoop::current);
		assertThat(failure).isInstanceOf(IllegalStateException.class)
			.hasMessage("There is no current event loop in thread 'plain-worker-7'; run this on a loop thread"
					+ " (loop.execute(...)) or make one with EventLoop.onCurrentThread(name)");
		assertThat(onThread("plain-worker-8", () -> EventLoop.currentOrNull() == null)).isTrue();
	}

	@Test
	@DisplayName("AF-1: onCurrentThread makes the loop current on the calling thread only")
	void onCurrentThread_makesLoopCurrentForOwner() throws Exception {
		EventLoop loop = driven("test");
		assertThat(EventLoop.current()).isSameAs(loop);
		assertThat(loop.inLoopThread()).isTrue();
		assertThat(onThread("other", () -> EventLoop.currentOrNull() == null)).isTrue();
	}

	@Test
	void onCurrentThread_twiceOnOneThread_throws() {
		driven("test");
		String thread = Thread.currentThread().getName();
		assertThatIllegalStateException().isThrownBy(() -> EventLoop.onCurrentThread("second"))
			.withMessage("Thread '" + thread + "' already runs EventLoop 'test'; close it first or use EventLoop.current()");
	}

	@Test
	void onCurrentThread_afterClose_canMakeAnotherLoop() {
		EventLoop first = EventLoop.onCurrentThread("first");
		first.close();
		assertThat(EventLoop.currentOrNull()).isNull();
		EventLoop second = driven("second");
		assertThat(EventLoop.current()).isSameAs(second);
	}

	// ---------------------------------------------------------------- builder arguments

	@Test
	void builder_blankName_throwsWithMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventLoop.builder("  "))
			.withMessage("'name' must not be blank, was '  '");
		assertThatIllegalArgumentException().isThrownBy(() -> EventLoop.create(""))
			.withMessage("'name' must not be blank, was ''");
		assertThatIllegalArgumentException().isThrownBy(() -> EventLoop.onCurrentThread(""))
			.withMessage("'name' must not be blank, was ''");
		assertThatNullPointerException().isThrownBy(() -> EventLoop.builder(null)).withMessage("name");
	}

	@Test
	void builder_nonPositiveDurations_throwWithMessage() {
		EventLoopBuilder builder = EventLoop.builder("b");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.drainTimeout(Duration.ZERO))
			.withMessage("'drainTimeout' must be positive, was PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.drainTimeout(Duration.ofSeconds(-1)))
			.withMessage("'drainTimeout' must be positive, was PT-1S");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.slowCallbackThreshold(Duration.ZERO))
			.withMessage("'slowCallbackThreshold' must be positive, was PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.slowCallbackThreshold(Duration.ofMillis(-5)))
			.withMessage("'slowCallbackThreshold' must be positive, was PT-0.005S");
		assertThatNullPointerException().isThrownBy(() -> builder.drainTimeout(null)).withMessage("drainTimeout");
		assertThatNullPointerException().isThrownBy(() -> builder.unobservedFailureDetector(null)).withMessage("detector");
	}

	@Test
	void execute_null_throwsNullPointerException() {
		EventLoop loop = driven("test");
		assertThatNullPointerException().isThrownBy(() -> loop.execute(null)).withMessage("callback");
		assertThat(loop.runOnce()).isZero();
	}

	// ---------------------------------------------------------------- iterations

	@Test
	@DisplayName("CB-5: a callback queued during iteration N runs in iteration N+1")
	void runOnce_callbackQueuedDuringIteration_runsInNext() {
		EventLoop loop = driven("test");
		List<String> ran = new ArrayList<>();
		loop.execute(() -> {
			ran.add("a");
			loop.execute(() -> {
				ran.add("b");
				loop.execute(() -> ran.add("d"));
			});
		});
		loop.addCallback(() -> ran.add("c"));
		assertThat(ran).isEmpty();
		assertThat(loop.runOnce()).isEqualTo(2);
		assertThat(ran).containsExactly("a", "c");
		assertThat(loop.runOnce()).isEqualTo(1);
		assertThat(ran).containsExactly("a", "c", "b");
		assertThat(loop.runOnce()).isEqualTo(1);
		assertThat(ran).containsExactly("a", "c", "b", "d");
		assertThat(loop.runOnce()).isZero();
	}

	@Test
	@DisplayName("CB-4: done-callbacks share the FIFO ready queue with execute, in order of scheduling")
	void runOnce_doneCallbacksAndExecute_runInSchedulingOrder() {
		EventLoop loop = driven("test");
		List<String> ran = new ArrayList<>();
		LoopFuture<Integer> early = loop.newFuture();
		early.addDoneCallback((f) -> ran.add("early-1"));
		early.addDoneCallback((f) -> ran.add("early-2"));
		loop.execute(() -> ran.add("x"));
		early.setResult(1);
		loop.execute(() -> ran.add("y"));
		early.addDoneCallback((f) -> ran.add("late"));
		loop.execute(() -> ran.add("z"));
		assertThat(ran).as("nothing inline (CB-1, CB-3)").isEmpty();
		assertThat(loop.runOnce()).isEqualTo(6);
		assertThat(ran).containsExactly("x", "early-1", "early-2", "y", "late", "z");
	}

	@Test
	@DisplayName("CB-5: runUntilIdle runs iterations until nothing is ready and returns the total")
	void runUntilIdle_chainOfCallbacks_runsAllAndReturnsTotal() {
		EventLoop loop = driven("test");
		AtomicInteger depth = new AtomicInteger();
		Runnable[] step = new Runnable[1];
		step[0] = () -> {
			if (depth.incrementAndGet() < 5) {
				loop.execute(step[0]);
			}
		};
		loop.execute(step[0]);
		assertThat(loop.runUntilIdle()).isEqualTo(5);
		assertThat(depth).hasValue(5);
		assertThat(loop.runUntilIdle()).isZero();
	}

	@Test
	void runUntilIdle_timerNotDue_doesNotWait() {
		EventLoop loop = driven("test");
		AtomicBoolean ran = new AtomicBoolean();
		loop.callLater(Duration.ofHours(1), () -> ran.set(true));
		long start = System.nanoTime();
		assertThat(loop.runUntilIdle()).isZero();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		assertThat(ran).isFalse();
	}

	@Test
	void run_stopFromAnotherThread_returns() throws Exception {
		EventLoop loop = driven("test");
		CountDownLatch running = new CountDownLatch(1);
		loop.execute(running::countDown);
		Thread stopper = new Thread(() -> {
			try {
				if (running.await(10, TimeUnit.SECONDS)) {
					Thread.sleep(20); // let the loop fall asleep
					loop.stop();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "stopper");
		stopper.start();
		loop.run();
		stopper.join(WAIT.toMillis());
		assertThat(running.getCount()).isZero();
		assertThat(loop.isClosing()).isFalse();
		// still usable after stop
		AtomicBoolean later = new AtomicBoolean();
		loop.execute(() -> later.set(true));
		assertThat(loop.runOnce()).isEqualTo(1);
		assertThat(later).isTrue();
	}

	@Test
	void run_callbacksFromOtherThreads_runUntilStop() throws Exception {
		EventLoop loop = driven("test");
		AtomicInteger count = new AtomicInteger();
		Thread producer = new Thread(() -> {
			for (int i = 0; i < 100; i++) {
				loop.execute(count::incrementAndGet);
			}
			loop.execute(loop::stop);
		}, "producer");
		producer.start();
		loop.run();
		producer.join(WAIT.toMillis());
		assertThat(count).hasValue(100);
	}

	@Test
	void stop_onOwnThreadLoop_throws() {
		EventLoop loop = started("own");
		assertThatIllegalStateException().isThrownBy(loop::stop)
			.withMessage("EventLoop 'own' runs on its own thread and cannot be stopped from outside; call close() to shut it down");
	}

	@Test
	void runOnce_fromNonOwnerThread_throwsWithMessage() throws Exception {
		EventLoop loop = driven("test");
		String owner = Thread.currentThread().getName();
		assertThat(failureOnThread("intruder", loop::runOnce)).isInstanceOf(IllegalStateException.class)
			.hasMessage("runOnce() on EventLoop 'test' must be called by its owning thread '" + owner
					+ "' but was called from thread 'intruder'");
		assertThat(failureOnThread("intruder", loop::runUntilIdle)).isInstanceOf(IllegalStateException.class)
			.hasMessage("runUntilIdle() on EventLoop 'test' must be called by its owning thread '" + owner
					+ "' but was called from thread 'intruder'");
		assertThat(failureOnThread("intruder", loop::run)).isInstanceOf(IllegalStateException.class)
			.hasMessage("run() on EventLoop 'test' must be called by its owning thread '" + owner
					+ "' but was called from thread 'intruder'");
	}

	@Test
	void runOnce_onOwnThreadLoop_throwsWithMessage() throws Exception {
		EventLoop loop = started("own");
		String expected = "runOnce() is for loops made by EventLoop.onCurrentThread(name); EventLoop 'own' runs on its own"
				+ " thread; hand it work with execute(...)";
		assertThatIllegalStateException().isThrownBy(loop::runOnce).withMessage(expected);
		Throwable onItsThread = onLoop(loop, () -> {
			try {
				loop.runOnce();
				return null;
			}
			catch (IllegalStateException ex) {
				return ex;
			}
		});
		assertThat(onItsThread).isInstanceOf(IllegalStateException.class).hasMessage(expected);
	}

	// ---------------------------------------------------------------- callback failures

	@Test
	@DisplayName("CB-9: a throwing callback is logged at ERROR with the exception, counted, and the loop goes on")
	void execute_throwingCallback_isLoggedCountedAndLoopContinues() {
		EventLoop loop = driven("test");
		IllegalStateException boom = new IllegalStateException("boom");
		List<String> ran = new ArrayList<>();
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			loop.execute(() -> {
				throw boom;
			});
			loop.execute(() -> ran.add("after"));
			assertThat(loop.runOnce()).isEqualTo(2);
			assertThat(ran).containsExactly("after");
			List<ILoggingEvent> errors = log.events().stream().filter((e) -> e.getLevel() == Level.ERROR).toList();
			assertThat(errors).hasSize(1);
			assertThat(errors.get(0).getFormattedMessage()).startsWith("Exception in callback ").contains("'test'");
			assertThat(((ThrowableProxy) errors.get(0).getThrowableProxy()).getThrowable()).isSameAs(boom);
		}
		assertThat(loop.statistics().callbacksFailed()).isEqualTo(1);
		assertThat(loop.statistics().callbacksSucceeded()).isEqualTo(1);
		loop.execute(() -> ran.add("next"));
		assertThat(loop.runOnce()).isEqualTo(1);
		assertThat(ran).containsExactly("after", "next");
	}

	@Test
	@DisplayName("CB-9: a throwing done-callback (even CancellationException) is logged and the other callbacks still run")
	void addDoneCallback_throwingCallback_othersStillRun() {
		EventLoop loop = driven("test");
		List<String> ran = new ArrayList<>();
		LoopFuture<String> future = loop.newFuture();
		future.addDoneCallback((f) -> ran.add("first"));
		future.addDoneCallback((f) -> {
			throw new CancellationException("thrown by a done-callback");
		});
		future.addDoneCallback((f) -> ran.add("third"));
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			future.setResult("v");
			assertThat(loop.runOnce()).isEqualTo(3);
			assertThat(ran).containsExactly("first", "third");
			assertThat(log.messages(Level.ERROR)).singleElement(InstanceOfAssertFactories.STRING)
				.startsWith("Exception in callback");
		}
		assertThat(loop.statistics().callbacksFailed()).isEqualTo(1);
	}

	@Test
	@DisplayName("CB-9: 1,000 failing callbacks are all counted but the log is rate-limited")
	void execute_thousandThrowingCallbacks_allCountedFewLogLines() {
		EventLoop loop = driven("test");
		List<Supplier<RuntimeException>> kinds = List.of(IllegalStateException::new, IllegalArgumentException::new,
				UnsupportedOperationException::new, ArithmeticException::new, NullPointerException::new,
				IndexOutOfBoundsException::new, ClassCastException::new, ArrayStoreException::new,
				NegativeArraySizeException::new, SecurityException::new, java.util.NoSuchElementException::new,
				java.util.ConcurrentModificationException::new, () -> new java.time.DateTimeException("time"),
				IllegalMonitorStateException::new);
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			for (int i = 0; i < 1000; i++) {
				Supplier<RuntimeException> kind = kinds.get(i % kinds.size());
				loop.execute(() -> {
					throw kind.get();
				});
			}
			assertThat(loop.runOnce()).isEqualTo(1000);
			List<String> errors = log.messages(Level.ERROR);
			assertThat(errors).isNotEmpty().hasSizeLessThanOrEqualTo(11);
			assertThat(errors.get(0)).startsWith("Exception in callback");
		}
		assertThat(loop.statistics().callbacksFailed()).isEqualTo(1000);
		assertThat(loop.statistics().callbacksSucceeded()).isZero();
	}

	// ---------------------------------------------------------------- callLater

	@Test
	void callLater_differentDelays_runInOrderOfDeadline() throws Exception {
		EventLoop loop = driven("test");
		List<String> ran = Collections.synchronizedList(new ArrayList<>());
		loop.callLater(Duration.ofMillis(60), () -> ran.add("60"));
		loop.callLater(Duration.ofMillis(20), () -> ran.add("20"));
		loop.callLater(Duration.ofMillis(40), () -> ran.add("40"));
		loop.callLater(Duration.ZERO, () -> ran.add("0"));
		long start = System.nanoTime();
		drive(loop, () -> ran.size() == 4);
		assertThat(ran).containsExactly("0", "20", "40", "60");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(55));
	}

	@Test
	void callLater_equalDelays_runFirstInFirstOut() throws Exception {
		EventLoop loop = driven("test");
		List<Integer> ran = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			int n = i;
			loop.callLater(Duration.ofMillis(10), () -> ran.add(n));
		}
		drive(loop, () -> ran.size() == 20);
		assertThat(ran).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
	}

	@Test
	void callLater_zeroDelay_runsInNextIteration() {
		EventLoop loop = driven("test");
		AtomicBoolean ran = new AtomicBoolean();
		ScheduledCallback handle = loop.callLater(Duration.ZERO, () -> ran.set(true));
		assertThat(ran).as("never inline").isFalse();
		assertThat(loop.runOnce()).isEqualTo(1);
		assertThat(ran).isTrue();
		assertThat(handle.cancel()).as("cancel after it ran").isFalse();
		assertThat(handle.cancelled()).isFalse();
	}

	@Test
	void callLater_negativeDelay_throwsWithMessage() {
		EventLoop loop = driven("test");
		assertThatIllegalArgumentException().isThrownBy(() -> loop.callLater(Duration.ofMillis(-1), () -> {
		})).withMessage("'delay' must not be negative, was PT-0.001S");
	}

	@Test
	void callLater_cancelBeforeDue_neverRuns() throws Exception {
		EventLoop loop = driven("test");
		AtomicBoolean cancelledRan = new AtomicBoolean();
		AtomicBoolean marker = new AtomicBoolean();
		ScheduledCallback handle = loop.callLater(Duration.ofMillis(10), () -> cancelledRan.set(true));
		loop.callLater(Duration.ofMillis(30), () -> marker.set(true));
		assertThat(handle.cancel()).isTrue();
		assertThat(handle.cancelled()).isTrue();
		assertThat(handle.cancel()).as("second cancel").isFalse();
		drive(loop, marker::get);
		assertThat(cancelledRan).isFalse();
	}

	@Test
	void callLater_cancelAfterRun_returnsFalse() throws Exception {
		EventLoop loop = driven("test");
		AtomicBoolean ran = new AtomicBoolean();
		ScheduledCallback handle = loop.callLater(Duration.ofMillis(5), () -> ran.set(true));
		drive(loop, ran::get);
		assertThat(handle.cancel()).isFalse();
		assertThat(handle.cancelled()).isFalse();
	}

	@Test
	void callLater_fromAnotherThread_wakesSleepingLoop() throws Exception {
		EventLoop loop = started("sleeper");
		awaitAsleep(loop);
		CountDownLatch ran = new CountDownLatch(1);
		AtomicReference<String> thread = new AtomicReference<>();
		long start = System.nanoTime();
		loop.callLater(Duration.ofMillis(50), () -> {
			thread.set(Thread.currentThread().getName());
			ran.countDown();
		});
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
		assertThat(thread).hasValue("sleeper");
	}

	@Test
	void callLater_fromAnotherThreadCancelledBeforeDue_neverRuns() throws Exception {
		EventLoop loop = started("sleeper");
		AtomicBoolean ran = new AtomicBoolean();
		ScheduledCallback handle = loop.callLater(Duration.ofMillis(100), () -> ran.set(true));
		assertThat(handle.cancel()).isTrue();
		Thread.sleep(200);
		assertThat(onLoop(loop, ran::get)).isFalse();
	}

	// ---------------------------------------------------------------- futures

	@Test
	@DisplayName("AF-1: newFuture from another thread makes a future bound to the loop")
	void newFuture_fromAnotherThread_isBoundToLoop() throws Exception {
		EventLoop loop = started("own");
		LoopFuture<Integer> future = loop.newFuture();
		assertThat(future.loop()).isSameAs(loop);
		assertThatIllegalStateException().isThrownBy(future::done).withMessageContaining("is confined to loop 'own'");
		Integer value = loop.runSync(() -> {
			future.setResult(5);
			return future;
		}, WAIT);
		assertThat(value).isEqualTo(5);
	}

	@Test
	@DisplayName("IOL-1: addFuture on a pending LoopFuture runs the callback in a later iteration with that future")
	void addFuture_pendingLoopFuture_callbackRunsLaterWithSameFuture() {
		EventLoop loop = driven("test");
		LoopFuture<String> future = loop.newFuture();
		List<LoopFuture<String>> received = new ArrayList<>();
		loop.addFuture(future, received::add);
		assertThat(loop.runOnce()).isZero();
		future.setResult("v");
		assertThat(received).as("not inline").isEmpty();
		assertThat(loop.runOnce()).isEqualTo(1);
		assertThat(received).singleElement().isSameAs(future);
	}

	@Test
	@DisplayName("IOL-1: addFuture on a LoopFuture that is already done never runs the callback inline")
	void addFuture_doneLoopFuture_neverInline() {
		EventLoop loop = driven("test");
		LoopFuture<String> future = loop.newFuture();
		future.setResult("v");
		List<LoopFuture<String>> received = new ArrayList<>();
		loop.addFuture(future, received::add);
		assertThat(received).isEmpty();
		assertThat(loop.runOnce()).isEqualTo(1);
		assertThat(received).singleElement().isSameAs(future);
	}

	@Test
	@DisplayName("IOL-1: addFuture from another thread on a LoopFuture of the loop")
	void addFuture_loopFutureFromAnotherThread_callbackRunsOnLoop() throws Exception {
		EventLoop loop = started("own");
		LoopFuture<String> future = loop.newFuture();
		CompletableFuture<String> seen = new CompletableFuture<>();
		loop.addFuture(future, (f) -> seen.complete(Thread.currentThread().getName() + ":" + f.result()));
		loop.execute(() -> future.setResult("v"));
		assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("own:v");
	}

	@Test
	@DisplayName("IOL-2: a CancellationException thrown by an addFuture callback is counted, not logged")
	void addFuture_callbackThrowsCancellation_countedNotLogged() {
		EventLoop loop = driven("test");
		LoopFuture<String> future = loop.newFuture();
		loop.addFuture(future, (f) -> {
			throw new CancellationException("not an error");
		});
		future.setResult("v");
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			assertThat(loop.runOnce()).isEqualTo(1);
			assertThat(log.events()).isEmpty();
		}
		assertThat(loop.statistics().callbacksFailed()).isEqualTo(1);
	}

	@Test
	@DisplayName("IOL-2: any other exception thrown by an addFuture callback is logged and counted")
	void addFuture_callbackThrowsOther_loggedAndCounted() {
		EventLoop loop = driven("test");
		CompletableFuture<String> stage = CompletableFuture.completedFuture("v");
		IllegalStateException boom = new IllegalStateException("boom");
		loop.addFuture(stage, (s) -> {
			throw boom;
		});
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			assertThat(loop.runOnce()).isEqualTo(1);
			List<ILoggingEvent> errors = log.events();
			assertThat(errors).singleElement().satisfies((e) -> {
				assertThat(e.getLevel()).isEqualTo(Level.ERROR);
				assertThat(e.getFormattedMessage()).startsWith("Exception in callback");
				assertThat(((ThrowableProxy) e.getThrowableProxy()).getThrowable()).isSameAs(boom);
			});
		}
		assertThat(loop.statistics().callbacksFailed()).isEqualTo(1);
	}

	@Test
	@DisplayName("IOL-1: addFuture on a CompletionStage completed on another thread runs the callback on the loop")
	void addFuture_stageCompletedOnAnotherThread_callbackRunsOnLoop() throws Exception {
		EventLoop loop = driven("test");
		CompletableFuture<String> stage = new CompletableFuture<>();
		Thread owner = Thread.currentThread();
		String result = loop.runSync(() -> {
			LoopFuture<String> done = loop.newFuture();
			loop.addFuture(stage, (s) -> {
				assertThat(Thread.currentThread()).isSameAs(owner);
				assertThat(s).isSameAs(stage);
				done.setResult(s.toCompletableFuture().join());
			});
			new Thread(() -> stage.complete("from-worker"), "completer").start();
			return done;
		}, WAIT);
		assertThat(result).isEqualTo("from-worker");
	}

	@Test
	@DisplayName("IOL-3: addFuture on an already completed CompletionStage still waits for the next iteration")
	void addFuture_stageAlreadyCompleted_runsNextIteration() {
		EventLoop loop = driven("test");
		CompletableFuture<String> stage = CompletableFuture.completedFuture("v");
		List<CompletionStage<String>> received = new ArrayList<>();
		loop.addFuture(stage, received::add);
		assertThat(received).isEmpty();
		assertThat(loop.runOnce()).isEqualTo(1);
		assertThat(received).singleElement().isSameAs(stage);
	}

	@Test
	@DisplayName("IOL-1: addFuture on a failed CompletionStage hands the callback the failed stage")
	void addFuture_stageFailed_callbackReceivesFailedStage() {
		EventLoop loop = driven("test");
		IOException failure = new IOException("disk");
		CompletableFuture<String> stage = CompletableFuture.failedFuture(failure);
		List<CompletionStage<String>> received = new ArrayList<>();
		loop.addFuture(stage, received::add);
		assertThat(received).isEmpty();
		assertThat(loop.runOnce()).isEqualTo(1);
		assertThat(received).singleElement().isSameAs(stage);
		assertThatThrownBy(() -> stage.toCompletableFuture().join()).hasCause(failure);
		assertThat(loop.statistics().callbacksFailed()).isZero();
	}

	@Test
	@DisplayName("IOL-1: addFuture on a LoopFuture of another loop hops to this loop")
	void addFuture_futureOfAnotherLoop_callbackRunsOnThisLoop() throws Exception {
		EventLoop other = started("other");
		EventLoop loop = driven("test");
		LoopFuture<String> foreign = other.newFuture();
		String seen = loop.runSync(() -> {
			LoopFuture<String> done = loop.newFuture();
			loop.addFuture(foreign, (f) -> done.setResult(Thread.currentThread().getName() + ":" + (f == foreign)));
			other.execute(() -> foreign.setResult("x"));
			return done;
		}, WAIT);
		assertThat(seen).isEqualTo(Thread.currentThread().getName() + ":true");
	}

	// ---------------------------------------------------------------- runInExecutor

	@Test
	@DisplayName("ROE-5: runInExecutor completes with the task's result on the loop thread")
	void runInExecutor_pool_completesWithResult() throws Exception {
		EventLoop loop = driven("test");
		ExecutorService pool = pool(2);
		AtomicReference<String> taskThread = new AtomicReference<>();
		Integer value = loop.runSync(() -> loop.runInExecutor(pool, () -> {
			taskThread.set(Thread.currentThread().getName());
			return 42;
		}), WAIT);
		assertThat(value).isEqualTo(42);
		assertThat(taskThread.get()).startsWith("pool-");
	}

	@Test
	@DisplayName("ROE-5: runInExecutor fails with the same exception object the task threw")
	void runInExecutor_taskThrows_sameExceptionObject() throws Exception {
		EventLoop loop = driven("test");
		ExecutorService pool = pool(1);
		IllegalStateException boom = new IllegalStateException("boom");
		assertThatThrownBy(() -> loop.runSync(() -> loop.runInExecutor(pool, () -> {
			throw boom;
		}), WAIT)).isSameAs(boom);
		IOException checked = new IOException("io");
		LoopFuture<Object> future = loop.runInExecutor(pool, () -> {
			throw checked;
		});
		drive(loop, future::done);
		assertThat(future.exception()).isSameAs(checked);
	}

	@Test
	@DisplayName("ROE-5: with a direct executor the future completes one iteration after the task")
	void runInExecutor_directExecutor_completesOneIterationLater() {
		EventLoop loop = driven("test");
		List<String> ran = new ArrayList<>();
		LoopFuture<Integer> future = loop.runInExecutor(Runnable::run, () -> {
			ran.add("task");
			return 7;
		});
		assertThat(ran).as("the direct executor ran the task inline").containsExactly("task");
		assertThat(future.done()).isFalse();
		future.addDoneCallback((f) -> ran.add("callback"));
		loop.runOnce();
		assertThat(future.done()).isTrue();
		assertThat(future.result()).isEqualTo(7);
		assertThat(ran).as("done-callbacks run in the iteration after completion (CB-1)").containsExactly("task");
		loop.runOnce();
		assertThat(ran).containsExactly("task", "callback");
	}

	@Test
	void runInExecutor_rejectingExecutor_failsWithThatException() {
		EventLoop loop = driven("test");
		RejectedExecutionException rejection = new RejectedExecutionException("full");
		LoopFuture<Integer> future = loop.runInExecutor((task) -> {
			throw rejection;
		}, () -> 1);
		loop.runUntilIdle();
		assertThat(future.done()).isTrue();
		assertThat(future.exception()).isSameAs(rejection);
		assertThatThrownBy(future::result).isSameAs(rejection);
	}

	@Test
	@DisplayName("ROE-9: cancelling runInExecutor's future does not interrupt the task; its outcome is dropped")
	void runInExecutor_cancelled_taskNotInterruptedOutcomeDropped() throws Exception {
		EventLoop loop = driven("test");
		ExecutorService pool = pool(1);
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		CompletableFuture<Void> taskDone = new CompletableFuture<>();
		LoopFuture<String> future = loop.runInExecutor(pool, () -> {
			started.countDown();
			try {
				boolean released = release.await(10, TimeUnit.SECONDS);
				assertThat(released).isTrue();
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
			interrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
			taskDone.complete(null);
			return "late";
		});
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(future.cancel("no longer needed")).isTrue();
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			release.countDown();
			taskDone.get(10, TimeUnit.SECONDS);
			// the single worker finished the job and its hand-off once this no-op ran
			pool.submit(() -> {
			}).get(10, TimeUnit.SECONDS);
			loop.runUntilIdle();
			assertThat(log.messages(Level.ERROR)).isEmpty();
			assertThat(log.messages(Level.WARN)).isEmpty();
		}
		assertThat(interrupted).isFalse();
		assertThat(future.cancelled()).isTrue();
		assertThatThrownBy(future::result).isInstanceOf(CancellationException.class).hasMessage("no longer needed");
		assertThat(loop.statistics().callbacksFailed()).isZero();
		long start = System.nanoTime();
		loop.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("nothing left to wait for at close")
			.isLessThan(Duration.ofSeconds(5));
	}

	@Test
	@DisplayName("ROE-9: a cancelled runInExecutor future whose job is stuck does not hold up close")
	void close_cancelledRunInExecutorWithStuckJob_doesNotWaitForDrainTimeout() {
		EventLoop loop = track(EventLoop.builder("test").drainTimeout(Duration.ofSeconds(3)).onCurrentThread());
		LoopFuture<String> future = loop.runInExecutor((job) -> {
		}, () -> "never");
		assertThat(future.cancel()).isTrue();
		loop.runUntilIdle();
		long start = System.nanoTime();
		loop.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start))
			.as("close waited for the job of a future that was already cancelled")
			.isLessThan(Duration.ofSeconds(2));
	}

	// ---------------------------------------------------------------- runSync

	@Test
	void runSync_ownThreadLoop_returnsValue() throws Exception {
		EventLoop loop = started("own");
		assertThat(loop.runSync(() -> {
			LoopFuture<String> f = loop.newFuture();
			loop.execute(() -> f.setResult(Thread.currentThread().getName()));
			return f;
		}, WAIT)).isEqualTo("own");
		assertThat(loop.<String>runSync(() -> LoopFuture.completed(null), WAIT)).isNull();
	}

	@Test
	void runSync_runtimeFailure_rethrowsSameObject() {
		EventLoop loop = started("own");
		IllegalArgumentException boom = new IllegalArgumentException("boom");
		assertThatThrownBy(() -> loop.runSync(() -> {
			LoopFuture<String> f = loop.newFuture();
			f.setException(boom);
			return f;
		}, WAIT)).isSameAs(boom);
	}

	@Test
	void runSync_checkedFailure_wrappedInCompletionException() {
		EventLoop loop = started("own");
		IOException io = new IOException("io");
		assertThatThrownBy(() -> loop.runSync(() -> {
			LoopFuture<String> f = loop.newFuture();
			f.setException(io);
			return f;
		}, WAIT)).isExactlyInstanceOf(CompletionException.class).cause().isSameAs(io);
	}

	@Test
	void runSync_checkedFailureOnDrivenLoop_wrappedInCompletionException() {
		EventLoop loop = driven("test");
		IOException io = new IOException("io");
		assertThatThrownBy(() -> loop.runSync(() -> {
			LoopFuture<String> f = loop.newFuture();
			loop.execute(() -> f.setException(io));
			return f;
		}, WAIT)).isExactlyInstanceOf(CompletionException.class).cause().isSameAs(io);
	}

	@Test
	@DisplayName("D-5: runSync of a cancelled future throws java.util.concurrent.CancellationException with the message")
	void runSync_cancelledFuture_throwsCancellationException() {
		EventLoop loop = started("own");
		assertThatThrownBy(() -> loop.runSync(() -> {
			LoopFuture<String> f = loop.newFuture();
			f.cancel("gone");
			return f;
		}, WAIT)).isInstanceOf(CancellationException.class).hasMessage("gone");
	}

	@Test
	void runSync_timeout_throwsAndCancelsFuture() throws Exception {
		EventLoop loop = started("own");
		AtomicReference<LoopFuture<String>> made = new AtomicReference<>();
		assertThatThrownBy(() -> loop.runSync(() -> {
			LoopFuture<String> f = loop.newFuture();
			made.set(f);
			return f;
		}, Duration.ofMillis(100))).isInstanceOf(TimeoutException.class)
			.hasMessage("runSync on EventLoop 'own' timed out after PT0.1S; the future was cancelled");
		// the cancel hop was queued before this one (per-producer FIFO)
		assertThat(onLoop(loop, () -> made.get().cancelled())).isTrue();
		assertThat(onLoop(loop, () -> {
			try {
				made.get().result();
				return null;
			}
			catch (CancellationException ex) {
				return ex.getMessage();
			}
		})).isEqualTo("runSync on EventLoop 'own' timed out after PT0.1S");
	}

	@Test
	void runSync_timeoutOnDrivenLoop_throwsAndCancelsFuture() {
		EventLoop loop = driven("test");
		LoopFuture<String> future = loop.newFuture();
		long start = System.nanoTime();
		assertThatThrownBy(() -> loop.runSync(() -> future, Duration.ofMillis(100))).isInstanceOf(TimeoutException.class)
			.hasMessage("runSync on EventLoop 'test' timed out after PT0.1S; the future was cancelled");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100))
			.isLessThan(Duration.ofSeconds(5));
		assertThat(future.cancelled()).isTrue();
	}

	@Test
	void runSync_onOwnLoopThread_throwsIllegalStateException() throws Exception {
		EventLoop loop = started("own");
		Throwable failure = onLoop(loop, () -> {
			try {
				loop.runSync(() -> LoopFuture.completed(1), WAIT);
				return null;
			}
			catch (IllegalStateException ex) {
				return ex;
			}
		});
		assertThat(failure).isInstanceOf(IllegalStateException.class)
			.hasMessage("runSync called on the thread of EventLoop 'own', which it would block forever (deadlock);"
					+ " chain with addDoneCallback(...) or Futures instead of blocking a loop thread");
	}

	@Test
	void runSync_drivenLoopByOwner_drivesLoopIncludingTimers() throws Exception {
		EventLoop loop = driven("test");
		long start = System.nanoTime();
		String value = loop.runSync(() -> {
			LoopFuture<String> f = loop.newFuture();
			loop.callLater(Duration.ofMillis(50), () -> f.setResult("timer"));
			return f;
		}, WAIT);
		assertThat(value).isEqualTo("timer");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
	}

	@Test
	void runSync_nonPositiveTimeout_throwsWithMessage() {
		EventLoop loop = driven("test");
		assertThatIllegalArgumentException().isThrownBy(() -> loop.runSync(() -> LoopFuture.completed(1), Duration.ZERO))
			.withMessage("'timeout' must be positive, was PT0S");
	}

	// ---------------------------------------------------------------- close

	@Test
	@DisplayName("D-2: close runs the callbacks queued before it")
	void close_graceful_runsQueuedCallbacks() throws Exception {
		EventLoop loop = started("own");
		CountDownLatch gate = new CountDownLatch(1);
		AtomicInteger ran = new AtomicInteger();
		loop.execute(() -> {
			try {
				gate.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		for (int i = 0; i < 100; i++) {
			loop.execute(ran::incrementAndGet);
		}
		Thread closer = new Thread(loop::close, "closer");
		closer.start();
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!loop.isClosing()) {
			assertThat(System.nanoTime()).isLessThan(deadline);
			Thread.sleep(1);
		}
		assertThat(loop.isTerminated()).isFalse();
		gate.countDown();
		assertThat(loop.awaitTermination(WAIT)).isTrue();
		closer.join(WAIT.toMillis());
		assertThat(closer.isAlive()).isFalse();
		assertThat(ran).hasValue(100);
		assertThat(loop.isTerminated()).isTrue();
		assertThat(loop.statistics().callbacksRejected()).isZero();
	}

	@Test
	@DisplayName("D-2: after close, execute from another thread throws EventLoopClosedException naming the loop, counted")
	void close_thenExecuteFromOtherThread_rejectedAndCounted() {
		EventLoop loop = started("own");
		loop.close();
		assertThat(loop.isClosing()).isTrue();
		assertThat(loop.isTerminated()).isTrue();
		assertThatThrownBy(() -> loop.execute(() -> {
		})).isInstanceOf(EventLoopClosedException.class)
			.isInstanceOf(RejectedExecutionException.class)
			.hasMessageStartingWith("EventLoop 'own' is closed and rejected callback ");
		assertThatThrownBy(() -> loop.callLater(Duration.ZERO, () -> {
		})).isInstanceOf(EventLoopClosedException.class).hasMessageContaining("'own'");
		assertThatThrownBy(() -> loop.runInExecutor(Runnable::run, () -> 1)).isInstanceOf(EventLoopClosedException.class)
			.hasMessageContaining("'own'");
		assertThatThrownBy(() -> loop.addFuture(new CompletableFuture<String>(), (s) -> {
		})).isInstanceOf(EventLoopClosedException.class).hasMessageContaining("'own'");
		assertThat(loop.statistics().callbacksRejected()).isEqualTo(4);
	}

	@Test
	@DisplayName("D-2: after close, execute from the owner throws EventLoopClosedException naming the loop")
	void close_thenExecuteFromOwner_rejectedAndCounted() throws Exception {
		EventLoop loop = driven("test");
		loop.close();
		assertThat(loop.isTerminated()).isTrue();
		assertThatThrownBy(() -> loop.execute(() -> {
		})).isInstanceOf(EventLoopClosedException.class)
			.hasMessageStartingWith("EventLoop 'test' is closed and rejected callback ");
		assertThat(failureOnThread("other", () -> loop.execute(() -> {
		}))).isInstanceOf(EventLoopClosedException.class).hasMessageStartingWith("EventLoop 'test' is closed");
		assertThat(loop.statistics().callbacksRejected()).isEqualTo(2);
		assertThatThrownBy(loop::runOnce).isInstanceOf(EventLoopClosedException.class)
			.hasMessage("EventLoop 'test' is closed; runOnce() has nothing to run; create a new loop");
	}

	@Test
	@DisplayName("D-2: close cancels a runInExecutor future whose job never finishes after the drain timeout")
	void close_pendingRunInExecutor_cancelledAfterDrainTimeout() {
		EventLoop loop = track(EventLoop.builder("test").drainTimeout(Duration.ofMillis(200)).onCurrentThread());
		List<Runnable> neverRun = new ArrayList<>();
		LoopFuture<String> stuck = loop.runInExecutor(neverRun::add, () -> "never");
		LoopFuture<String> quick = loop.runInExecutor(Runnable::run, () -> "quick");
		List<String> callbacks = new ArrayList<>();
		stuck.addDoneCallback((f) -> callbacks.add("stuck-callback"));
		long start = System.nanoTime();
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			loop.close();
			assertThat(log.messages(Level.WARN))
				.contains("EventLoop 'test' cancelled 1 future(s) whose work had not completed when it closed");
		}
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(200)).isLessThan(Duration.ofSeconds(5));
		assertThat(neverRun).hasSize(1);
		assertThat(quick.done()).isTrue();
		assertThat(quick.result()).isEqualTo("quick");
		assertThat(stuck.cancelled()).isTrue();
		assertThatThrownBy(stuck::result).isInstanceOf(CancellationException.class)
			.hasMessage("EventLoop 'test' closed before the work behind this future completed (drain timeout PT0.2S)");
		assertThat(callbacks).as("callbacks of the cancelled future still ran during close").containsExactly("stuck-callback");
		assertThat(loop.isTerminated()).isTrue();
	}

	@Test
	@DisplayName("D-2: no runInExecutor future of an own-thread loop is left pending after close")
	void close_ownThreadLoop_noHandOffLeftPending() throws Exception {
		EventLoop loop = track(EventLoop.builder("own").drainTimeout(Duration.ofMillis(200)).start());
		ExecutorService pool = pool(2);
		CountDownLatch never = new CountDownLatch(1);
		List<LoopFuture<String>> futures = onLoop(loop, () -> List.of(loop.runInExecutor(pool, () -> "fast"),
				loop.runInExecutor(pool, () -> {
					never.await(10, TimeUnit.SECONDS);
					return "stuck";
				}), loop.runInExecutor((r) -> {
				}, () -> "dropped")));
		List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
		loop.execute(() -> futures.forEach((f) -> f.addDoneCallback((done) -> outcomes.add(done.cancelled() ? "cancelled"
				: "done:" + done.result()))));
		loop.close();
		never.countDown();
		assertThat(loop.isTerminated()).isTrue();
		assertThat(outcomes).containsExactlyInAnyOrder("done:fast", "cancelled", "cancelled");
	}

	@Test
	void close_twice_isHarmless() throws Exception {
		EventLoop loop = started("own");
		assertThat(loop.awaitTermination(Duration.ofMillis(50))).isFalse();
		assertThat(loop.isClosing()).isFalse();
		assertThat(loop.isTerminated()).isFalse();
		loop.close();
		loop.close();
		assertThat(loop.awaitTermination(Duration.ofMillis(1))).isTrue();
		assertThat(loop.isClosing()).isTrue();
		assertThat(loop.isTerminated()).isTrue();
		EventLoop driven = driven("test");
		driven.close();
		driven.close();
		assertThat(driven.isTerminated()).isTrue();
	}

	@Test
	void close_fromInsideCallbackOfOwnThreadLoop_terminates() throws Exception {
		EventLoop loop = started("own");
		AtomicInteger after = new AtomicInteger();
		AtomicBoolean closingSeen = new AtomicBoolean();
		loop.execute(() -> {
			loop.close();
			closingSeen.set(loop.isClosing());
			loop.execute(after::incrementAndGet); // the owner may still queue while closing
		});
		assertThat(loop.awaitTermination(WAIT)).isTrue();
		assertThat(closingSeen).isTrue();
		assertThat(after).hasValue(1);
	}

	@Test
	void close_fromInsideCallbackOfDrivenLoop_finishesWhenTheIterationEnds() {
		EventLoop loop = driven("test");
		AtomicInteger after = new AtomicInteger();
		AtomicBoolean terminatedInside = new AtomicBoolean(true);
		loop.execute(() -> {
			loop.close();
			terminatedInside.set(loop.isTerminated());
			loop.execute(after::incrementAndGet); // the owner may still queue while closing
		});
		loop.runOnce();
		assertThat(terminatedInside).as("close inside a callback only starts the close").isFalse();
		assertThat(after).as("work queued while closing is drained").hasValue(1);
		assertThat(loop.isTerminated()).as("the close completes when the iteration ends").isTrue();
		assertThatThrownBy(loop::runOnce).isInstanceOf(EventLoopClosedException.class);
	}

	@Test
	void close_fromInsideCallbackOfRunningDrivenLoop_runReturnsTerminated() {
		EventLoop loop = driven("test");
		loop.execute(loop::close);
		loop.run();
		assertThat(loop.isTerminated()).isTrue();
	}

	@Test
	void close_fromAnotherThreadWhileOwnerRuns_runReturnsTerminated() throws Exception {
		EventLoop loop = driven("test");
		CountDownLatch running = new CountDownLatch(1);
		loop.execute(running::countDown);
		Thread closer = new Thread(() -> {
			try {
				if (running.await(10, TimeUnit.SECONDS)) {
					loop.close();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "closer");
		closer.start();
		loop.run();
		closer.join(WAIT.toMillis());
		assertThat(loop.isTerminated()).isTrue();
	}

	@Test
	@DisplayName("CB-10: on a closed loop, completing a future without callbacks works; with callbacks it completes then throws")
	void setResult_afterClose_completesThenThrowsWhenCallbacksPending() {
		EventLoop loop = driven("test");
		LoopFuture<String> plain = loop.newFuture();
		LoopFuture<String> withCallback = loop.newFuture();
		List<String> ran = new ArrayList<>();
		withCallback.addDoneCallback((f) -> ran.add("lost"));
		loop.close();
		plain.setResult("ok");
		assertThat(plain.result()).isEqualTo("ok");
		assertThatThrownBy(() -> withCallback.setResult("v")).isInstanceOf(EventLoopClosedException.class)
			.hasMessageStartingWith("EventLoop 'test' is closed; ")
			.hasMessageContaining("done-callbacks cannot run; complete futures before their loop closes");
		assertThat(withCallback.done()).isTrue();
		assertThat(withCallback.result()).isEqualTo("v");
		assertThatThrownBy(() -> plain.addDoneCallback((f) -> ran.add("late"))).isInstanceOf(EventLoopClosedException.class);
		assertThat(ran).isEmpty();
		assertThat(loop.statistics().callbacksRejected()).isEqualTo(2);
	}

	// ---------------------------------------------------------------- statistics, debug, decorator

	@Test
	void debug_slowCallback_loggedAtWarnAndCounted() {
		EventLoop loop = track(EventLoop.builder("test").debug(true).slowCallbackThreshold(Duration.ofMillis(20))
			.onCurrentThread());
		loop.execute(() -> {
		});
		loop.execute(() -> {
			try {
				Thread.sleep(60);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			assertThat(loop.runOnce()).isEqualTo(2);
			assertThat(log.messages(Level.WARN)).singleElement(InstanceOfAssertFactories.STRING).contains("took").contains("'test'");
		}
		assertThat(loop.statistics().slowCallbacks()).isEqualTo(1);
	}

	@Test
	void notDebug_slowCallback_notCounted() {
		EventLoop loop = track(EventLoop.builder("test").slowCallbackThreshold(Duration.ofMillis(1)).onCurrentThread());
		loop.execute(() -> {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			loop.runOnce();
			assertThat(log.events()).isEmpty();
		}
		assertThat(loop.statistics().slowCallbacks()).isZero();
	}

	@Test
	void statistics_wakeups_countOncePerWakeOfSleepingLoop() throws Exception {
		EventLoop loop = started("own");
		awaitAsleep(loop);
		long before = loop.statistics().wakeups();
		CountDownLatch ran = new CountDownLatch(1);
		loop.execute(ran::countDown);
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(loop.statistics().wakeups()).isEqualTo(before + 1);

		awaitAsleep(loop);
		long beforeBurst = loop.statistics().wakeups();
		CountDownLatch burstIssued = new CountDownLatch(1);
		CountDownLatch burstRan = new CountDownLatch(10);
		// The first callback holds the loop until the whole burst is queued, so the loop cannot
		// fall asleep again in between; only the first execute can find it asleep.
		loop.execute(() -> {
			try {
				burstIssued.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			burstRan.countDown();
		});
		for (int i = 1; i < 10; i++) {
			loop.execute(burstRan::countDown);
		}
		burstIssued.countDown();
		assertThat(burstRan.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(loop.statistics().wakeups() - beforeBurst).isEqualTo(1L);
	}

	@Test
	void statistics_ownerExecute_neverCountsWakeup() {
		EventLoop loop = driven("test");
		for (int i = 0; i < 10; i++) {
			loop.execute(() -> {
			});
		}
		assertThat(loop.statistics().pending()).isEqualTo(10);
		assertThat(loop.runOnce()).isEqualTo(10);
		assertThat(loop.statistics().wakeups()).isZero();
		assertThat(loop.statistics().callbacksSucceeded()).isEqualTo(10);
		assertThat(loop.statistics().progress()).isEqualTo(10);
		assertThat(loop.statistics().pending()).isZero();
		assertThat(loop.statistics().busy()).isFalse();
	}

	@Test
	void taskDecorator_appliedToExecuteCallLaterAndDoneCallbacks() throws Exception {
		ThreadLocal<String> context = new ThreadLocal<>();
		List<String> seen = new ArrayList<>();
		AtomicInteger decorated = new AtomicInteger();
		EventLoop loop = track(EventLoop.builder("test").taskDecorator((task) -> {
			decorated.incrementAndGet();
			String captured = context.get();
			return () -> {
				String previous = context.get();
				context.set(captured);
				try {
					task.run();
				}
				finally {
					context.set(previous);
				}
			};
		}).onCurrentThread());
		context.set("execute");
		loop.execute(() -> seen.add("execute saw " + context.get()));
		context.set("later");
		loop.callLater(Duration.ZERO, () -> seen.add("callLater saw " + context.get()));
		context.set("done");
		LoopFuture<String> future = loop.newFuture();
		future.addDoneCallback((f) -> seen.add("done-callback saw " + context.get()));
		context.set("other");
		future.setResult("v");
		context.remove();
		loop.runOnce();
		assertThat(seen).containsExactlyInAnyOrder("execute saw execute", "callLater saw later", "done-callback saw done");
		assertThat(decorated).hasValue(3);
		// a decorated callback queued from another thread carries that thread's context
		String fromOther = onThread("producer", () -> {
			context.set("producer-context");
			loop.execute(() -> seen.add("cross-thread saw " + context.get()));
			return "queued";
		});
		assertThat(fromOther).isEqualTo("queued");
		loop.runOnce();
		assertThat(seen).last().isEqualTo("cross-thread saw producer-context");
	}

}
