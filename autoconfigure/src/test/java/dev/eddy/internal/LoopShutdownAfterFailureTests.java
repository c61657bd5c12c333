package dev.eddy.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.ScheduledCallback;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ends of a loop that {@link LoopShutdownTests} does not reach: the thread's failure followed
 * by a failure of the drain that {@code died} runs (the fallback that abandons everything), what
 * is still in the ready queue after the final iterations of a close, and a caller of
 * {@code close()} whose interrupt arrives while it waits for the loop thread.
 * <p>The failure is injected as {@code LoopDeathTests} does: through the loop's own bookkeeping
 * path ({@link DefaultEventLoop.LoopInternal}), which runs outside the callback guard.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopShutdownAfterFailureTests {

	private static final long WAIT_SECONDS = 10;

	private static DefaultEventLoop.LoopInternal failing(String message) {
		return new DefaultEventLoop.LoopInternal() {
			@Override
			public void run() {
				throw new OutOfMemoryError(message);
			}
		};
	}

	@Test
	@DisplayName("the drain after the thread's failure fails too: everything is abandoned, counted and logged, timer in the ready queue cancelled")
	void drainAfterTheFailureFails_everythingAbandonedAndCounted() throws Exception {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.create("twice");
		List<String> ran = Collections.synchronizedList(new ArrayList<>());
		CompletableFuture<DefaultLoopFuture<String>> handOff = new CompletableFuture<>();
		CompletableFuture<ScheduledCallback> timer = new CompletableFuture<>();
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			loop.execute(() -> {
				// A hand-off with two done-callbacks: its abandon loses both.
				DefaultLoopFuture<String> future = loop.handOffs.create();
				future.addDoneCallback((done) -> ran.add("callback 1"));
				future.addDoneCallback((done) -> ran.add("callback 2"));
				handOff.complete(future);
				// Queued from the loop thread, straight into the ready queue, in this order; the timer,
				// due at once, joins them behind at the next iteration's start.
				loop.tryDeliver(failing("first"));
				loop.tryDeliver(failing("second"));
				for (int i = 1; i <= 3; i++) {
					String name = "task " + i;
					loop.execute(() -> ran.add(name));
				}
				timer.complete(loop.callLater(Duration.ZERO, () -> ran.add("timer")));
			});
			assertThat(loop.awaitTermination(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
			// Three plain tasks left in the ready queue and the hand-off's two callbacks never ran.
			assertThat(loop.statistics().callbacksRejected()).isEqualTo(5);
			assertThat(ran).isEmpty();
			assertThat(timer.get(WAIT_SECONDS, TimeUnit.SECONDS).cancelled()).isTrue();
			String why = "its thread failed with OutOfMemoryError: first";
			assertThat(handOff.get(WAIT_SECONDS, TimeUnit.SECONDS).toString())
				// toString shortens a long message; what it shows is the message abandonEverything gives.
				.contains("(cancelled: EventLoop 'twice' is terminated (" + why + ") before the work behind this future comp");
			assertThat(loop.statistics().terminationCause()).isEqualTo(why);
			List<ILoggingEvent> errors = log.events().stream().filter((event) -> event.getLevel() == Level.ERROR).toList();
			assertThat(errors).extracting(ILoggingEvent::getFormattedMessage)
				.containsExactly(
						"EventLoop 'twice' stopped unexpectedly: " + why
								+ "; it is terminated, rejects new work, and cancelled what was pending",
						"EventLoop 'twice' could not run its callbacks after its thread failed; they were counted as rejected",
						"EventLoop 'twice' is terminated (" + why
								+ "); 5 callback(s) that were queued never ran and were counted as rejected");
			assertThat(errors.get(0).getThrowableProxy().getMessage()).isEqualTo("first");
			assertThat(errors.get(1).getThrowableProxy().getMessage()).isEqualTo("second");
			assertThat(errors.get(2).getThrowableProxy()).isNull();
		}
	}

	@Test
	@DisplayName("the thread fails with a timer and tasks behind it: the drain runs the tasks and the timer, nothing counted as rejected")
	void threadFails_drainRunsWhatIsReadyBehindTheFailure() throws Exception {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.create("once");
		List<String> ran = Collections.synchronizedList(new ArrayList<>());
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			loop.execute(() -> {
				loop.tryDeliver(failing("only"));
				// Run by the drain after the failure, when the loop already reports closing.
				loop.execute(() -> ran.add("task, closing " + loop.isClosing()));
				loop.callLater(Duration.ZERO, () -> ran.add("timer"));
			});
			assertThat(loop.awaitTermination(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
			assertThat(ran).containsExactly("task, closing true", "timer");
			assertThat(loop.statistics().callbacksRejected()).isZero();
			assertThat(log.messages(Level.ERROR)).containsExactly("EventLoop 'once' stopped unexpectedly: its thread failed"
					+ " with OutOfMemoryError: only; it is terminated, rejects new work, and cancelled what was pending");
			assertThat(log.messages(Level.WARN)).isEmpty();
		}
	}

	@Test
	@DisplayName("a callback that queues itself again forever: 999 runs after the hand-offs' cancel, then the one left is counted as rejected")
	void selfRequeueingCallback_finalIterationsBoundedAndLeftoverCounted() {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("requeue").drainTimeout(Duration.ofMillis(30))
			.onCurrentThread();
		AtomicBoolean cancelledPhase = new AtomicBoolean();
		AtomicInteger runsAfterCancel = new AtomicInteger();
		DefaultLoopFuture<String> handOff = loop.handOffs.create(); // cancelled only at the drain timeout
		handOff.addDoneCallback((done) -> cancelledPhase.set(true));
		loop.execute(new Runnable() {
			@Override
			public void run() {
				if (cancelledPhase.get()) {
					runsAfterCancel.incrementAndGet();
				}
				loop.execute(this);
			}
		});
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			loop.close();
			assertThat(log.messages(Level.ERROR)).containsExactly("EventLoop 'requeue' closed with 1 callback(s) that never ran"
					+ " (still queued after the drain timeout of PT0.03S); they were counted as rejected");
		}
		assertThat(loop.isTerminated()).isTrue();
		assertThat(handOff.cancelled()).isTrue();
		// 1000 final iterations: the first runs the callback before the hand-off's done-callback, the other 999 after it.
		assertThat(runsAfterCancel).hasValue(999);
		assertThat(loop.statistics().callbacksRejected()).isEqualTo(1);
	}

	@Test
	@DisplayName("close() from another thread that is interrupted while it waits: it still waits for the drain, and the interrupt is handed back")
	void closeWhileInterrupted_waitsForTheDrainAndKeepsTheInterrupt() throws Exception {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("interrupted-closer").drainTimeout(Duration.ofSeconds(30))
			.start();
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean drained = new AtomicBoolean();
		loop.execute(() -> {
			running.countDown();
			awaitQuietly(release);
		});
		loop.execute(() -> drained.set(true));
		assertThat(running.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
		Thread releaser = new Thread(() -> {
			// The close has begun once the loop reports closing; the callback may then return.
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
			while (!loop.isClosing() && System.nanoTime() < deadline) {
				Thread.onSpinWait();
			}
			release.countDown();
		}, "releaser");
		releaser.setDaemon(true);
		releaser.start();
		Thread.currentThread().interrupt(); // the first wait throws at once; close() must keep waiting
		try {
			loop.close();
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(loop.isTerminated()).isTrue();
		assertThat(drained).isTrue();
		releaser.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
