package dev.eddy.loop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The loop watchdog without Spring (Vert.x's {@code BlockedThreadChecker}): one callback that
 * runs past the blocked threshold is reported once per episode, with the loop thread's stack, is
 * counted in {@link LoopStatistics}, and its recovery is logged with how long it lasted; a loop
 * that is idle, or busy with many short callbacks, is never reported.
 */
@Timeout(60)
class LoopWatchdogTests {

	private static final Duration THRESHOLD = Duration.ofMillis(200);

	private static final String LOOP_LOGGER = "dev.eddy.loop";

	private static final Pattern WARN = Pattern.compile("EventLoop 'watched' has been running one callback for (\\d+) ms, "
			+ "over the blocked threshold of 200 ms; thread '(.+)' is at the stack shown\\. Move blocking work to an executor "
			+ "\\(runInExecutor or @RunOnExecutor\\)");

	private static final Pattern INFO = Pattern.compile("EventLoop 'watched' is running again after being blocked for (\\d+) ms");

	private final EventLoop loop = EventLoop.builder("watched").blockedThreshold(THRESHOLD).start();

	@AfterEach
	void tearDown() {
		this.loop.close();
	}

	@Test
	void aCallbackPastTheThreshold_isReportedOnceWithTheLoopThreadsStack_andItsRecoveryIsLogged() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch returned = new CountDownLatch(1);
		String[] loopThread = new String[1];
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			this.loop.execute(() -> {
				loopThread[0] = Thread.currentThread().getName();
				awaitUninterruptibly(release);
				returned.countDown();
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> this.loop.statistics().blocked());
			assertThat(this.loop.statistics().blockedEpisodes()).isEqualTo(1);
			// stays blocked for several more checks (the period is a quarter of the threshold): still one report
			Thread.sleep(THRESHOLD.toMillis() * 3);
			assertThat(this.loop.statistics().blocked()).isTrue();
			assertThat(warnings(log)).hasSize(1);

			ILoggingEvent warning = warnings(log).get(0);
			Matcher matcher = WARN.matcher(warning.getFormattedMessage());
			assertThat(matcher.matches()).as(warning.getFormattedMessage()).isTrue();
			assertThat(Long.parseLong(matcher.group(1))).isBetween(THRESHOLD.toMillis(), THRESHOLD.toMillis() * 3);
			assertThat(matcher.group(2)).isEqualTo(loopThread[0]);
			assertThat(warning.getThrowableProxy()).as("the loop thread's stack").isNotNull();
			assertThat(warning.getThrowableProxy().getMessage())
				.isEqualTo("stack of blocked loop thread '" + loopThread[0] + "'");
			assertThat(warning.getThrowableProxy().getStackTraceElementProxyArray())
				.as("the stack is the loop thread's, inside the blocking callback")
				.anySatisfy((frame) -> assertThat(frame.getSTEAsString()).contains("awaitUninterruptibly"));
			assertThat(log.messages(Level.INFO).stream().filter((line) -> INFO.matcher(line).matches())).isEmpty();

			release.countDown();
			assertThat(returned.await(10, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> !this.loop.statistics().blocked());
			await().atMost(Duration.ofSeconds(10)).until(() -> recoveries(log).size() == 1);
			Matcher recovered = INFO.matcher(recoveries(log).get(0));
			assertThat(recovered.matches()).isTrue();
			assertThat(Long.parseLong(recovered.group(1))).as("blocked from the callback's start to its end")
				.isGreaterThanOrEqualTo(THRESHOLD.toMillis() * 4);
			assertThat(this.loop.statistics().blockedEpisodes()).isEqualTo(1);
			assertThat(warnings(log)).hasSize(1);
		}
	}

	@Test
	void twoBlockingCallbacks_areTwoEpisodes() throws Exception {
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			for (int episode = 1; episode <= 2; episode++) {
				CountDownLatch release = new CountDownLatch(1);
				this.loop.execute(() -> awaitUninterruptibly(release));
				int expected = episode;
				await().atMost(Duration.ofSeconds(10)).until(() -> this.loop.statistics().blockedEpisodes() == expected);
				release.countDown();
				await().atMost(Duration.ofSeconds(10)).until(() -> recoveries(log).size() == expected);
			}
			assertThat(warnings(log)).hasSize(2);
			assertThat(this.loop.statistics().blocked()).isFalse();
		}
	}

	@Test
	void anIdleLoop_isNeverReported() throws Exception {
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			Thread.sleep(THRESHOLD.toMillis() * 4);
			assertThat(this.loop.statistics().blockedEpisodes()).isZero();
			assertThat(this.loop.statistics().blocked()).isFalse();
			assertThat(warnings(log)).isEmpty();
		}
	}

	@Test
	void manyShortCallbacksInARow_areProgressNotABlock() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		CountDownLatch stopped = new CountDownLatch(1);
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			// each callback runs a quarter of the threshold and queues the next: the loop is always busy, never stuck
			this.loop.execute(new Runnable() {

				@Override
				public void run() {
					sleepUninterruptibly(THRESHOLD.toMillis() / 4);
					if (running.get()) {
						LoopWatchdogTests.this.loop.execute(this);
					}
					else {
						stopped.countDown();
					}
				}

			});
			Thread.sleep(THRESHOLD.toMillis() * 5);
			running.set(false);
			assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(this.loop.statistics().blockedEpisodes()).isZero();
			assertThat(warnings(log)).isEmpty();
		}
	}

	@Test
	void aCallbackJustUnderTheThreshold_isNotReported() throws Exception {
		try (LogCapture log = LogCapture.of(LOOP_LOGGER)) {
			CountDownLatch done = new CountDownLatch(1);
			this.loop.execute(() -> {
				sleepUninterruptibly(THRESHOLD.toMillis() / 2);
				done.countDown();
			});
			assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
			Thread.sleep(THRESHOLD.toMillis());
			assertThat(this.loop.statistics().blockedEpisodes()).isZero();
			assertThat(warnings(log)).isEmpty();
		}
	}

	private static List<ILoggingEvent> warnings(LogCapture log) {
		return log.events()
			.stream()
			.filter((event) -> event.getLevel() == Level.WARN && WARN.matcher(event.getFormattedMessage()).matches())
			.toList();
	}

	private static List<String> recoveries(LogCapture log) {
		return log.messages(Level.INFO).stream().filter((line) -> INFO.matcher(line).matches()).toList();
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		boolean interrupted = false;
		while (true) {
			try {
				if (latch.await(30, TimeUnit.SECONDS)) {
					break;
				}
				throw new AssertionError("never released");
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleepUninterruptibly(long millis) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		long left;
		while ((left = deadline - System.nanoTime()) > 0) {
			try {
				Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
