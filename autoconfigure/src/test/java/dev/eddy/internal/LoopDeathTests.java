package dev.eddy.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.eddy.actuate.EddyHealthIndicator;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.EventLoopClosedException;
import dev.eddy.loop.ScheduledCallback;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * When the loop's thread ends anyway (Eddy's own machinery fails, which no user code can cause
 * since the callback guard contains everything), or the owner of an {@code onCurrentThread} loop
 * ends without closing it, the loop becomes terminated: nothing accepted that will never run.
 * The failure is injected through the loop's own bookkeeping path ({@link DefaultEventLoop.LoopInternal}),
 * which runs outside the callback guard.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopDeathTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	@DisplayName("the loop thread fails: terminated, new work rejected naming why, hand-offs cancelled with a message, timers cancelled, health DOWN")
	void loopThreadFails_loopTerminatesAndAccountsForEverything() throws Exception {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.create("dying");
		ExecutorService pool = Executors.newSingleThreadExecutor();
		CountDownLatch never = new CountDownLatch(1);
		try {
			CompletableFuture<LoopFuture<String>> made = new CompletableFuture<>();
			loop.execute(() -> made.complete(loop.runInExecutor(pool, () -> {
				never.await(30, TimeUnit.SECONDS);
				return "late";
			})));
			LoopFuture<String> handOff = made.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			CompletableFuture<String> view = loop.submit(() -> handOff);
			ScheduledCallback timer = loop.callLater(Duration.ofHours(1), () -> {
			});
			CountDownLatch hold = new CountDownLatch(1);
			loop.execute(() -> awaitQuietly(hold));
			loop.tryDeliver(new DefaultEventLoop.LoopInternal() {
				@Override
				public void run() {
					throw new OutOfMemoryError("simulated failure of the loop's own machinery");
				}
			});
			List<Runnable> queuedBehind = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				Runnable r = () -> {
				};
				queuedBehind.add(r);
				loop.execute(r);
			}
			hold.countDown();
			assertThat(loop.awaitTermination(WAIT)).isTrue();
			assertThat(loop.isTerminated()).isTrue();
			assertThat(loop.statistics().alive()).isFalse();
			assertThat(EddyHealthIndicator.state(loop)).isEqualTo("dead"); // DOWN, and it tells why
			assertThat(loop.statistics().terminationCause()).contains("simulated failure of the loop's own machinery");
			assertThatThrownBy(() -> loop.execute(() -> {
			})).isInstanceOf(EventLoopClosedException.class)
				.hasMessageStartingWith("EventLoop 'dying' is terminated (its thread failed with OutOfMemoryError: simulated"
						+ " failure of the loop's own machinery) and rejected ");
			// JDK 23+ get() wraps the cancellation in a new CancellationException("get") whose cause is the original.
			Throwable cancelled = catchThrowable(() -> view.get(WAIT.toSeconds(), TimeUnit.SECONDS));
			if (cancelled instanceof CancellationException && cancelled.getCause() instanceof CancellationException original) {
				cancelled = original;
			}
			assertThat(cancelled).isInstanceOf(CancellationException.class)
				.hasMessage("EventLoop 'dying' terminated (its thread failed with OutOfMemoryError: simulated failure of the"
						+ " loop's own machinery) before the work behind this future completed (drain timeout PT30S)");
			assertThat(timer.cancelled()).isTrue();
			long started = System.nanoTime();
			loop.close(); // returns at once
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
			// The five callbacks queued behind the failure either ran in the final drain or were counted as rejected.
			assertThat(loop.statistics().callbacksSucceeded() + loop.statistics().callbacksRejected())
				.isGreaterThanOrEqualTo(2 + 5 + 1);
		}
		finally {
			never.countDown();
			pool.shutdownNow();
		}
	}

	@Test
	@DisplayName("2,000 onCurrentThread loops whose owners ended without close: all terminated and unwatched by the watchdog")
	void ownerThreadsEnded_watchdogsDeregister() throws Exception {
		int before = LoopWatchdog.watchedCount();
		List<EventLoop> orphans = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			AtomicReference<EventLoop> made = new AtomicReference<>();
			Thread owner = new Thread(() -> made.set(EventLoop.builder("orphan").blockedThreshold(Duration.ofMillis(40))
				.onCurrentThread()));
			owner.start();
			owner.join(WAIT.toMillis());
			orphans.add(made.get());
		}
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (LoopWatchdog.watchedCount() > before) {
			assertThat(System.nanoTime() - deadline).as("watchdogs left: %d", LoopWatchdog.watchedCount() - before)
				.isNegative();
			Thread.sleep(10);
		}
		for (EventLoop orphan : orphans) {
			assertThat(orphan.isTerminated()).isTrue();
			assertThat(orphan.statistics().alive()).isFalse();
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
	private static Throwable failure(CompletableFuture<?> future) throws Exception {
		try {
			future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			return null;
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
	}

}
