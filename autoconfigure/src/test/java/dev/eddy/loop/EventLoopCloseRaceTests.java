package dev.eddy.loop;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.Level;
import dev.eddy.concurrent.Futures;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.eddy.testsupport.Cancellations.original;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Closing races and re-entrancy found in review: nothing handed to a loop around its close is
 * lost without being run, refused with an exception, or counted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventLoopCloseRaceTests {

	@Test
	@Tag("stress")
	void execute_racingWithClose_everyCallRanThrewOrWasCounted() throws Exception {
		for (int round = 0; round < 200; round++) {
			EventLoop loop = EventLoop.builder("race-" + round).drainTimeout(Duration.ofSeconds(5)).start();
			AtomicLong ran = new AtomicLong();
			AtomicLong accepted = new AtomicLong();
			AtomicLong thrown = new AtomicLong();
			CountDownLatch started = new CountDownLatch(1);
			Thread producer = new Thread(() -> {
				started.countDown();
				while (true) {
					try {
						loop.execute(ran::incrementAndGet);
						accepted.incrementAndGet();
					}
					catch (EventLoopClosedException ex) {
						thrown.incrementAndGet();
						return;
					}
				}
			});
			producer.start();
			started.await();
			Thread.onSpinWait();
			loop.close();
			producer.join(10_000);
			long disposedAfterAcceptance = loop.statistics().callbacksRejected() - thrown.get();
			assertThat(ran.get() + disposedAfterAcceptance).as("round %d: ran + counted == accepted", round)
				.isEqualTo(accepted.get());
		}
	}

	@Test
	void runOnce_fromInsideACallback_isRefusedWithAClearMessage() {
		EventLoop loop = EventLoop.onCurrentThread("reentrant");
		try {
			AtomicReference<Throwable> inner = new AtomicReference<>();
			loop.execute(() -> {
				try {
					loop.runOnce();
				}
				catch (IllegalStateException ex) {
					inner.set(ex);
				}
			});
			loop.execute(() -> {
			});
			assertThat(loop.runOnce()).isEqualTo(2);
			assertThat(inner.get()).isInstanceOf(IllegalStateException.class)
				.hasMessage("runOnce() called from inside a callback of EventLoop 'reentrant'; a callback must not drive its own"
						+ " loop: schedule the rest with execute(...) or addDoneCallback(...)");
			assertThatIllegalStateException().isThrownBy(() -> {
				AtomicReference<Throwable> fromRunSync = new AtomicReference<>();
				loop.execute(() -> {
					try {
						loop.runSync(() -> LoopFuture.completed(1), Duration.ofSeconds(1));
					}
					catch (Exception ex) {
						fromRunSync.set(ex);
					}
				});
				loop.runOnce();
				throw (IllegalStateException) fromRunSync.get();
			}).withMessageStartingWith("runSync() called from inside a callback of EventLoop 'reentrant'");
		}
		finally {
			loop.close();
		}
	}

	@Test
	void chain_toATargetOnAnotherLoop_isCancelledWhenThatLoopClosesFirst() throws Exception {
		EventLoop source = EventLoop.create("source");
		EventLoop target = EventLoop.builder("target").drainTimeout(Duration.ofMillis(200)).start();
		try {
			Futures futures = Futures.of(source);
			LoopFuture<String> into = target.runSync(() -> LoopFuture.completed(target.<String>newFuture()), Duration.ofSeconds(5));
			CompletableFuture<String> view = into.toCompletableFuture();
			LoopFuture<String> from = source.runSync(() -> {
				LoopFuture<String> pending = source.newFuture();
				futures.chain(pending, into);
				return LoopFuture.completed(pending);
			}, Duration.ofSeconds(5));
			target.close();
			assertThat(original(catchThrowable(() -> view.get(5, TimeUnit.SECONDS)))).isInstanceOf(CancellationException.class)
				.hasMessage("EventLoop 'target' closed before the work behind this future completed (drain timeout PT0.2S)");
			source.execute(() -> from.setResult("late")); // dropped quietly: the target is cancelled
		}
		finally {
			source.close();
			target.close();
		}
	}

	@Test
	void callLater_whileDraining_isCancelledNotLost() {
		EventLoop loop = EventLoop.onCurrentThread("drain-timer");
		AtomicReference<ScheduledCallback> scheduled = new AtomicReference<>();
		loop.execute(() -> {
			loop.close();
			scheduled.set(loop.callLater(Duration.ofHours(1), () -> {
			}));
		});
		loop.runOnce();
		assertThat(loop.isTerminated()).isTrue();
		assertThat(scheduled.get().cancelled()).as("a timer scheduled while draining").isTrue();
	}

	@Test
	void addFuture_callbackThrowingCancellation_isNotLoggedEvenThroughATaskDecorator() {
		EventLoop loop = EventLoop.builder("decorated").taskDecorator((task) -> () -> task.run()).onCurrentThread();
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			LoopFuture<String> future = loop.newFuture();
			loop.addFuture(future, (done) -> {
				throw new CancellationException("iol2");
			});
			future.setResult("x");
			loop.runUntilIdle();
			assertThat(log.messages(Level.ERROR)).isEmpty();
			assertThat(loop.statistics().callbacksFailed()).isEqualTo(1);
		}
		finally {
			loop.close();
		}
	}

	@Test
	void close_whileACallbackNeverReturns_givesUpAfterDrainTimeoutAndGraceWithTheStack() throws Exception {
		EventLoop loop = EventLoop.builder("stuck").drainTimeout(Duration.ofMillis(100)).start();
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch running = new CountDownLatch(1);
		loop.execute(() -> {
			running.countDown();
			try {
				release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		running.await(5, TimeUnit.SECONDS);
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			long started = System.nanoTime();
			loop.close();
			long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			assertThat(took).as("close() waited, in ms").isBetween(5_000L, 15_000L);
			assertThat(loop.isTerminated()).isFalse();
			assertThat(log.messages(Level.ERROR)).anySatisfy((message) -> assertThat(message)
				.startsWith("EventLoop 'stuck' did not stop within its drain timeout of PT0.1S plus 5 s"));
		}
		finally {
			release.countDown();
		}
		assertThat(loop.awaitTermination(Duration.ofSeconds(10))).isTrue();
	}

}
