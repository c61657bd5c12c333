package dev.eddy.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.eddy.concurrent.LoopFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The loop against hostile input (issue 12, loop items): throws from user code and from the code
 * Eddy calls to describe it, the queue bound, huge durations, cancelled timers, {@code stop()}
 * during {@code runSync}, a dead owner thread, interrupts, and the stack's edge.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventLoopHardeningTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<EventLoop> loops = new ArrayList<>();

	@AfterEach
	void closeEverything() throws InterruptedException {
		for (EventLoop loop : this.loops) {
			loop.close();
		}
		for (EventLoop loop : this.loops) {
			assertThat(loop.awaitTermination(WAIT)).as("%s terminated", loop).isTrue();
		}
		assertThat(EventLoop.currentOrNull()).as("no loop left on the test thread").isNull();
	}

	private EventLoop track(EventLoop loop) {
		this.loops.add(loop);
		return loop;
	}

	/** Waits, bounded, until the own-thread loop ran everything and every callback it counts. */
	private static void awaitCount(EventLoop loop, long succeeded) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (loop.statistics().callbacksSucceeded() < succeeded) {
			assertThat(System.nanoTime() - deadline).as("%s ran %d callbacks in time (ran %d)", loop, succeeded,
					loop.statistics().callbacksSucceeded()).isNegative();
			Thread.sleep(2);
		}
	}

	/** Runs a callback through the loop and waits for it: proves the loop still runs work. */
	private static void assertRunsWork(EventLoop loop) throws Exception {
		CompletableFuture<Thread> ran = new CompletableFuture<>();
		loop.execute(() -> ran.complete(Thread.currentThread()));
		assertThat(ran.get(WAIT.toSeconds(), TimeUnit.SECONDS).getName()).isEqualTo(loop.name());
	}

	// ---------------------------------------------------------------- hostile callbacks (CB-9)

	/** A callback whose toString() throws, and that throws an exception whose getMessage() throws. */
	static final class HostileCallback implements Runnable {

		@Override
		public void run() {
			throw new HostileException();
		}

		@Override
		public String toString() {
			throw new IllegalStateException("toString of the callback");
		}

	}

	static final class HostileException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		@Override
		public String getMessage() {
			throw new IllegalStateException("getMessage of the exception");
		}

		@Override
		public String toString() {
			throw new IllegalStateException("toString of the exception");
		}

	}

	/** A value whose toString() recurses until the stack overflows, as bidirectional JPA entities do. */
	static final class Cyclic {

		Cyclic other = this;

		@Override
		public String toString() {
			return "Cyclic(" + this.other + ")";
		}

	}

	@Test
	@DisplayName("CB-9: a callback whose toString, exception and exception's getMessage throw is counted; the loop survives and runs 1,000 more")
	void execute_callbackWhoseDescriptionThrows_loopSurvivesAndRunsLaterWork() throws Exception {
		EventLoop loop = track(EventLoop.create("hostile-callback"));
		for (int i = 0; i < 10; i++) {
			loop.execute(new HostileCallback());
		}
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < 1000; i++) {
			loop.execute(ran::incrementAndGet);
		}
		awaitCount(loop, 1000);
		assertThat(ran).hasValue(1000);
		assertThat(loop.statistics().callbacksFailed()).isEqualTo(10);
		assertThat(loop.statistics().callbacksRejected()).isZero();
		assertThat(loop.statistics().alive()).isTrue();
		assertRunsWork(loop);
	}

	@Test
	@DisplayName("CB-9: a throwing done-callback of a future whose value has a cyclic toString is counted; the loop survives")
	void addDoneCallback_throwingCallbackOfFutureWithCyclicValue_loopSurvives() throws Exception {
		EventLoop loop = track(EventLoop.create("cyclic-value"));
		CompletableFuture<Boolean> done = new CompletableFuture<>();
		loop.execute(() -> {
			LoopFuture<Cyclic> future = loop.newFuture();
			future.addDoneCallback((f) -> {
				throw new HostileException();
			});
			future.addDoneCallback((f) -> done.complete(true));
			future.setResult(new Cyclic());
		});
		assertThat(done.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		awaitCount(loop, 2);
		assertThat(loop.statistics().callbacksFailed()).isEqualTo(1);
		assertRunsWork(loop);
	}

	@Test
	@DisplayName("CB-9: a callback throwing StackOverflowError and OutOfMemoryError (whose toString throws) is counted; the loop survives")
	void execute_callbackThrowingErrors_loopSurvives() throws Exception {
		EventLoop loop = track(EventLoop.create("errors"));
		loop.execute(() -> {
			throw new StackOverflowError("simulated");
		});
		loop.execute(new Runnable() {

			@Override
			public void run() {
				throw new OutOfMemoryError("simulated");
			}

			@Override
			public String toString() {
				throw new OutOfMemoryError("simulated, from toString");
			}
		});
		assertRunsWork(loop);
		assertThat(loop.statistics().callbacksFailed()).isEqualTo(2);
		assertThat(loop.statistics().alive()).isTrue();
	}

	// ---------------------------------------------------------------- the bound (DESIGN §7)

	@Test
	@DisplayName("execute past 'eddy.loop.queue-capacity' throws EventLoopFullException naming the key, counted; the queued work still runs")
	void execute_pastCapacity_throwsEventLoopFullExceptionAndCounts() throws Exception {
		EventLoop loop = track(EventLoop.builder("bounded").queueCapacity(10).start());
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch blocking = new CountDownLatch(1);
		loop.execute(() -> {
			blocking.countDown();
			awaitQuietly(release);
		});
		assertThat(blocking.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < 10; i++) {
			loop.execute(ran::incrementAndGet);
		}
		Runnable eleventh = new Runnable() {

			@Override
			public void run() {
				ran.incrementAndGet();
			}

			@Override
			public String toString() {
				return "the eleventh";
			}
		};
		assertThatThrownBy(() -> loop.execute(eleventh)).isInstanceOf(EventLoopFullException.class)
			.isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
			.hasMessage("EventLoop 'bounded' is full: 10 callbacks queued by other threads and pending timers"
					+ " ('eddy.loop.queue-capacity' is 10); rejected the eleventh; slow the producers down, or raise"
					+ " 'eddy.loop.queue-capacity' (EventLoopBuilder.queueCapacity)");
		assertThat(loop.statistics().callbacksRejected()).isEqualTo(1);
		release.countDown();
		awaitCount(loop, 11);
		assertThat(ran).hasValue(10);
		loop.execute(ran::incrementAndGet); // room again
		awaitCount(loop, 12);
		assertThat(ran).hasValue(11);
	}

	@Test
	@DisplayName("pending timers count against the capacity, from any thread; a cancel frees the slot")
	void callLater_pastCapacity_throwsAndCancelFreesSlot() throws Exception {
		EventLoop loop = track(EventLoop.builder("bounded-timers").queueCapacity(3).start());
		List<ScheduledCallback> handles = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			handles.add(loop.callLater(Duration.ofHours(1), () -> {
			}));
		}
		assertThatThrownBy(() -> loop.callLater(Duration.ofHours(1), () -> {
		})).isInstanceOf(EventLoopFullException.class).hasMessageContaining("'eddy.loop.queue-capacity' is 3");
		assertThatThrownBy(() -> loop.execute(() -> {
		})).isInstanceOf(EventLoopFullException.class);
		assertThat(loop.statistics().callbacksRejected()).isEqualTo(2);
		assertThat(handles.get(0).cancel()).isTrue();
		CompletableFuture<Boolean> ran = new CompletableFuture<>();
		loop.callLater(Duration.ZERO, () -> ran.complete(true));
		assertThat(ran.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		// On the loop thread too: a timer is new work, the loop's own callbacks are not bounded.
		CompletableFuture<Throwable> onLoop = new CompletableFuture<>();
		loop.execute(() -> {
			try {
				loop.callLater(Duration.ofHours(1), () -> {
				});
				loop.callLater(Duration.ofHours(1), () -> {
				});
				onLoop.complete(null);
			}
			catch (Throwable ex) {
				onLoop.complete(ex);
			}
		});
		assertThat(onLoop.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(EventLoopFullException.class);
	}

	@Test
	@DisplayName("submit past the capacity returns a future failed with EventLoopFullException, counted")
	void submit_pastCapacity_returnsFailedFuture() throws Exception {
		EventLoop loop = track(EventLoop.builder("bounded-submit").queueCapacity(1).start());
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch blocking = new CountDownLatch(1);
		loop.execute(() -> {
			blocking.countDown();
			awaitQuietly(release);
		});
		assertThat(blocking.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		loop.execute(() -> {
		});
		CompletableFuture<Integer> result = loop.submit(() -> LoopFuture.completed(1));
		assertThat(result).isCompletedExceptionally();
		assertThatThrownBy(result::join).hasCauseInstanceOf(EventLoopFullException.class);
		assertThat(loop.statistics().callbacksRejected()).isEqualTo(1);
		release.countDown();
		awaitCount(loop, 2);
		assertThat(loop.submit(() -> LoopFuture.completed(2)).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);
	}

	@Test
	@DisplayName("the loop's own scheduling is never refused: 50 done-callbacks of a future it completes all run with capacity 1")
	void setResult_manyDoneCallbacksWithCapacityOne_allRun() throws Exception {
		EventLoop loop = track(EventLoop.builder("own-scheduling").queueCapacity(1).start());
		AtomicInteger ran = new AtomicInteger();
		AtomicInteger doneCallbacks = new AtomicInteger();
		CompletableFuture<Integer> all = new CompletableFuture<>();
		loop.execute(() -> {
			LoopFuture<String> future = loop.newFuture();
			for (int i = 0; i < 50; i++) {
				future.addDoneCallback((f) -> {
					if (doneCallbacks.incrementAndGet() == 50) {
						all.complete(50);
					}
				});
			}
			for (int i = 0; i < 50; i++) {
				loop.execute(ran::incrementAndGet); // from the loop thread: not bounded
			}
			future.setResult("done");
		});
		assertThat(all.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(50);
		awaitCount(loop, 101);
		assertThat(loop.statistics().callbacksRejected()).isZero();
	}

	@Test
	void builder_nonPositiveQueueCapacity_throwsWithMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventLoop.builder("x").queueCapacity(0))
			.withMessage("'queueCapacity' must be positive, was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> EventLoop.builder("x").queueCapacity(-5))
			.withMessage("'queueCapacity' must be positive, was -5");
	}

	// ---------------------------------------------------------------- huge durations

	@Test
	@DisplayName("callLater with Duration.ofNanos(Long.MAX_VALUE) while another timer is due: the due timer runs, the huge one is saturated")
	void callLater_hugeDelayWhileAnotherIsDue_dueTimerRuns() {
		EventLoop loop = track(EventLoop.onCurrentThread("huge-timers"));
		AtomicInteger due = new AtomicInteger();
		AtomicBoolean huge = new AtomicBoolean();
		loop.callLater(Duration.ZERO, due::incrementAndGet);
		loop.callLater(Duration.ofNanos(Long.MAX_VALUE), () -> huge.set(true));
		loop.callLater(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), () -> huge.set(true));
		loop.callLater(Duration.ofDays(365L * 300), () -> huge.set(true));
		loop.callLater(Duration.ZERO, due::incrementAndGet);
		loop.runOnce();
		assertThat(due).hasValue(2);
		assertThat(huge).isFalse();
	}

	@Test
	@DisplayName("a huge timer added while another is overdue, then cancelled, never blocks the overdue one")
	void callLater_cancelledHugeTimerAddedWhileAnotherOverdue_neverBlocksIt() throws Exception {
		EventLoop loop = track(EventLoop.onCurrentThread("cancelled-huge"));
		AtomicInteger due = new AtomicInteger();
		loop.callLater(Duration.ZERO, due::incrementAndGet);
		Thread.sleep(5); // overdue now: its deadline lies behind the clock
		ScheduledCallback hugeOne = loop.callLater(Duration.ofNanos(Long.MAX_VALUE), () -> {
		});
		assertThat(hugeOne.cancel()).isTrue();
		loop.runOnce();
		assertThat(due).hasValue(1);
		long before = System.nanoTime();
		loop.callLater(Duration.ofMillis(5), due::incrementAndGet);
		assertThat(loop.runSync(() -> {
			LoopFuture<Integer> future = loop.newFuture();
			loop.callLater(Duration.ofMillis(10), () -> future.setResult(due.get()));
			return future;
		}, WAIT)).isEqualTo(2);
		assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(WAIT);
	}

	@Test
	@DisplayName("runSync with a timeout of 300 years returns the result (own thread and driven by the owner)")
	void runSync_300YearTimeout_returnsResult() throws Exception {
		Duration centuries = Duration.ofDays(365L * 300);
		EventLoop loop = track(EventLoop.create("runsync-300y"));
		assertThat(loop.runSync(() -> {
			LoopFuture<Integer> future = loop.newFuture();
			loop.callLater(Duration.ofMillis(5), () -> future.setResult(42));
			return future;
		}, centuries)).isEqualTo(42);
		EventLoop driven = track(EventLoop.onCurrentThread("runsync-300y-driven"));
		assertThat(driven.runSync(() -> {
			LoopFuture<Integer> future = driven.newFuture();
			driven.callLater(Duration.ofMillis(5), () -> future.setResult(43));
			return future;
		}, Duration.ofDays(365L * 290))).isEqualTo(43);
		assertThat(driven.runSync(() -> LoopFuture.completed(44), Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)))
			.isEqualTo(44);
	}

	@Test
	@DisplayName("loop-side durations saturate: huge slow-callback and blocked thresholds, drain timeout, awaitTermination")
	void builder_hugeDurations_saturate() throws Exception {
		Duration max = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
		EventLoop loop = EventLoop.builder("huge-settings").debug(true).slowCallbackThreshold(max).blockedThreshold(max)
			.drainTimeout(max).start();
		track(loop);
		assertRunsWork(loop);
		assertThat(loop.awaitTermination(Duration.ofMillis(1))).isFalse();
		loop.close();
		assertThat(loop.awaitTermination(max)).isTrue();
	}

	// ---------------------------------------------------------------- timers cancelled in the same iteration

	@Test
	@DisplayName("a timer cancelled by an earlier callback of the same iteration does not run, and its cancel() returns true (asyncio, Tornado)")
	void callLater_cancelledByEarlierCallbackOfSameIteration_doesNotRun() {
		EventLoop loop = track(EventLoop.onCurrentThread("same-iteration"));
		AtomicReference<ScheduledCallback> second = new AtomicReference<>();
		AtomicBoolean cancelResult = new AtomicBoolean();
		AtomicBoolean secondRan = new AtomicBoolean();
		loop.callLater(Duration.ZERO, () -> cancelResult.set(second.get().cancel()));
		second.set(loop.callLater(Duration.ZERO, () -> secondRan.set(true)));
		assertThat(loop.runOnce()).isEqualTo(1);
		assertThat(cancelResult).isTrue();
		assertThat(secondRan).isFalse();
		assertThat(second.get().cancelled()).isTrue();
		assertThat(loop.runUntilIdle()).isZero();
		assertThat(secondRan).isFalse();
	}

	// ---------------------------------------------------------------- stop() during runSync

	@Test
	@DisplayName("stop() while runSync drives the loop fails runSync at once (Tornado: 'Event loop stopped before Future completed') and is consumed")
	void runSync_stopWhileDriving_failsAtOnceAndCancelsFuture() throws Exception {
		EventLoop loop = track(EventLoop.onCurrentThread("stop-runsync"));
		AtomicReference<LoopFuture<String>> made = new AtomicReference<>();
		long started = System.nanoTime();
		assertThatIllegalStateException().isThrownBy(() -> loop.runSync(() -> {
			LoopFuture<String> future = loop.newFuture();
			made.set(future);
			loop.callLater(Duration.ofMillis(20), loop::stop);
			return future;
		}, Duration.ofSeconds(20)))
			.withMessage("runSync on EventLoop 'stop-runsync' was stopped (stop()) before its future completed; the future was"
					+ " cancelled");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(made.get().cancelled()).isTrue();
		// The request was consumed: a later run() runs its work until its own stop().
		AtomicBoolean ran = new AtomicBoolean();
		loop.callLater(Duration.ofMillis(30), () -> {
			ran.set(true);
			loop.stop();
		});
		loop.run();
		assertThat(ran).isTrue();
	}

	@Test
	@DisplayName("stop() from another thread while runSync sleeps wakes it")
	void runSync_stopFromAnotherThreadWhileSleeping_failsAtOnce() throws Exception {
		EventLoop loop = track(EventLoop.onCurrentThread("stop-runsync-remote"));
		Thread stopper = new Thread(() -> {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				return;
			}
			loop.stop();
		});
		stopper.start();
		long started = System.nanoTime();
		assertThatIllegalStateException().isThrownBy(() -> loop.runSync(loop::newFuture, Duration.ofSeconds(20)))
			.withMessageContaining("was stopped (stop())");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		stopper.join(WAIT.toMillis());
	}

	// ---------------------------------------------------------------- dead owner

	@Test
	@DisplayName("an onCurrentThread loop whose owner thread ended without close() is terminated: not alive, rejects work, counted")
	void onCurrentThread_ownerEndedWithoutClose_loopIsTerminatedAndRejects() throws Exception {
		AtomicReference<EventLoop> made = new AtomicReference<>();
		AtomicReference<ScheduledCallback> timer = new AtomicReference<>();
		Thread owner = new Thread(() -> {
			EventLoop loop = EventLoop.onCurrentThread("orphan");
			timer.set(loop.callLater(Duration.ofHours(1), () -> {
			}));
			made.set(loop);
		}, "orphan-owner");
		owner.start();
		owner.join(WAIT.toMillis());
		EventLoop loop = made.get();
		assertThat(loop.statistics().alive()).isFalse();
		assertThatThrownBy(() -> loop.execute(() -> {
		})).isInstanceOf(EventLoopClosedException.class)
			.hasMessageStartingWith("EventLoop 'orphan' is terminated (its owner thread 'orphan-owner' ended without closing it)"
					+ " and rejected ");
		assertThatThrownBy(() -> loop.callLater(Duration.ZERO, () -> {
		})).isInstanceOf(EventLoopClosedException.class);
		assertThat(loop.statistics().callbacksRejected()).isEqualTo(2);
		assertThat(loop.isTerminated()).isTrue();
		assertThat(loop.isClosing()).isTrue();
		assertThat(loop.awaitTermination(Duration.ofMillis(1))).isTrue();
		assertThat(timer.get().cancelled()).as("its timer was cancelled").isTrue();
		loop.close(); // harmless
	}

	// ---------------------------------------------------------------- smaller items of issue 12

	@Test
	@DisplayName("awaitTermination on the loop's own thread throws instead of blocking it")
	void awaitTermination_onLoopThread_throws() throws Exception {
		EventLoop loop = track(EventLoop.create("await-self"));
		CompletableFuture<Throwable> thrown = new CompletableFuture<>();
		loop.execute(() -> {
			try {
				loop.awaitTermination(Duration.ofSeconds(30));
				thrown.complete(null);
			}
			catch (Throwable ex) {
				thrown.complete(ex);
			}
		});
		assertThat(thrown.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
			.hasMessage("awaitTermination called on the thread of EventLoop 'await-self', which it would block forever"
					+ " (deadlock); the loop terminates after this callback returns: wait from another thread");
	}

	@Test
	@DisplayName("a callback's interrupt status does not leak into the next callback")
	void execute_callbackInterruptsItself_nextCallbackStartsUninterrupted() throws Exception {
		EventLoop loop = track(EventLoop.create("interrupts"));
		CompletableFuture<Boolean> next = new CompletableFuture<>();
		loop.execute(() -> Thread.currentThread().interrupt());
		loop.execute(() -> next.complete(Thread.currentThread().isInterrupted()));
		assertThat(next.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isFalse();
		EventLoop driven = track(EventLoop.onCurrentThread("interrupts-driven"));
		AtomicBoolean second = new AtomicBoolean(true);
		driven.execute(() -> Thread.currentThread().interrupt());
		driven.execute(() -> second.set(Thread.currentThread().isInterrupted()));
		driven.runOnce();
		assertThat(second).isFalse();
		assertThat(Thread.interrupted()).as("the driver gets the interrupt back").isTrue();
	}

	@Test
	@DisplayName("rejection messages name the user's callback or supplier, never an internal lambda")
	void rejections_nameUserWorkNotInternalLambdas() throws Exception {
		EventLoop loop = EventLoop.create("closed-names");
		CompletableFuture<LoopFuture<String>> made = new CompletableFuture<>();
		loop.execute(() -> made.complete(loop.newFuture()));
		LoopFuture<String> future = made.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		loop.close();
		java.util.function.Consumer<LoopFuture<String>> callback = new java.util.function.Consumer<>() {

			@Override
			public void accept(LoopFuture<String> f) {
			}

			@Override
			public String toString() {
				return "my-callback";
			}
		};
		assertThatThrownBy(() -> loop.addFuture(future, callback)).isInstanceOf(EventLoopClosedException.class)
			.hasMessage("EventLoop 'closed-names' is closed and rejected callback my-callback; submit work before close(),"
					+ " or to a loop that is running");
		java.util.function.Supplier<LoopFuture<String>> supplier = new java.util.function.Supplier<>() {

			@Override
			public LoopFuture<String> get() {
				return LoopFuture.completed("x");
			}

			@Override
			public String toString() {
				return "my-supplier";
			}
		};
		assertThatThrownBy(() -> loop.submit(supplier)).hasMessageContaining("rejected callback my-supplier")
			.hasMessageNotContaining("Lambda");
		assertThatThrownBy(() -> loop.runSync(supplier, WAIT)).hasMessageContaining("rejected callback my-supplier");
		assertThatThrownBy(() -> loop.execute(new HostileCallback())).isInstanceOf(EventLoopClosedException.class)
			.hasMessageContaining("toString threw");
	}

	@Test
	@DisplayName("CB-1: a StackOverflowError inside setResult at the stack's edge never leaves a done future whose callbacks do not run")
	void setResult_atTheStackEdge_doneFutureAlwaysDeliversItsCallbacks() {
		EventLoop loop = track(EventLoop.onCurrentThread("stack-edge"));
		Edge edge = new Edge(loop, 4000);
		LoopFuture<Integer> warmUp = loop.newFuture(); // loads every class of the path before the stack is full
		warmUp.addDoneCallback(new SetFlag(new AtomicBoolean()));
		warmUp.setResult(0);
		loop.runUntilIdle();
		while (edge.count < edge.futures.length) {
			edge.recurse(0);
		}
		loop.runUntilIdle();
		int done = 0;
		int threw = 0;
		for (int i = 0; i < edge.count; i++) {
			if (edge.threw[i]) {
				threw++;
			}
			if (edge.futures[i].done()) {
				done++;
				assertThat(edge.flags[i].get()).as("callback of done future %d of %d (setResult threw: %s)", i, edge.count,
						edge.threw[i]).isTrue();
			}
			else {
				assertThat(edge.threw[i]).as("future %d is pending only because setResult threw", i).isTrue();
			}
		}
		assertThat(done).isPositive();
		assertThat(threw).as("setResult met the stack's edge at least once").isPositive();
	}

	/** A named class, not a lambda: a lambda's class spun at the stack's edge fails with InternalError. */
	private record SetFlag(AtomicBoolean flag) implements java.util.function.Consumer<LoopFuture<Integer>> {

		@Override
		public void accept(LoopFuture<Integer> future) {
			this.flag.set(true);
		}

	}

	/** Recurses to the stack's edge, then completes one future per frame on the way back up. */
	private static final class Edge {

		final EventLoop loop;

		final LoopFuture<?>[] futures;

		final AtomicBoolean[] flags;

		final boolean[] threw;

		int count;

		Edge(EventLoop loop, int size) {
			this.loop = loop;
			this.futures = new LoopFuture<?>[size];
			this.flags = new AtomicBoolean[size];
			this.threw = new boolean[size];
			// Made here, with room on the stack: at the edge only setResult runs.
			for (int i = 0; i < size; i++) {
				this.flags[i] = new AtomicBoolean();
				LoopFuture<Integer> future = loop.newFuture();
				future.addDoneCallback(new SetFlag(this.flags[i]));
				this.futures[i] = future;
			}
		}

		void recurse(int depth) {
			try {
				recurse(depth + 1);
			}
			catch (StackOverflowError edge) {
				if (this.count >= this.futures.length) {
					return;
				}
				int index = this.count;
				this.count = index + 1;
				@SuppressWarnings("unchecked")
				LoopFuture<Integer> future = (LoopFuture<Integer>) this.futures[index];
				try {
					future.setResult(depth);
				}
				catch (StackOverflowError inside) {
					this.threw[index] = true;
				}
				if (this.count % 100 != 0) {
					throw edge; // unwind one frame and complete another future there
				}
			}
		}

	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@SuppressWarnings("unused")
	private static Throwable cause(CompletableFuture<?> future) throws InterruptedException {
		try {
			future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			return null;
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (CancellationException | java.util.concurrent.TimeoutException ex) {
			return ex;
		}
	}

}
