package dev.eddy.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import ch.qos.logback.classic.Level;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.ScheduledCallback;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * How a loop's close drains and terminates ({@link LoopShutdown}), on {@code onCurrentThread}
 * loops closed by the test: timers cancelled before the drain and again after it, a hand-off
 * still waiting at the drain timeout cancelled with its callbacks run (no future left pending),
 * and nothing logged when nothing was lost.
 */
class LoopShutdownTests {

	private static DefaultEventLoop loop(Duration drainTimeout) {
		return (DefaultEventLoop) EventLoop.builder("shutdown").drainTimeout(drainTimeout).onCurrentThread();
	}

	@Test
	@DisplayName("a close with nothing left logs neither a leftover error nor a cancelled-futures warning")
	void quietClose() {
		DefaultEventLoop loop = loop(Duration.ofSeconds(1));
		loop.execute(() -> {
		});
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			loop.close();
			assertThat(log.messages(Level.ERROR)).isEmpty();
			assertThat(log.messages(Level.WARN)).isEmpty();
		}
		assertThat(loop.isTerminated()).isTrue();
	}

	@Test
	@DisplayName("a hand-off still waiting at the drain timeout is cancelled, and its done-callback runs before the loop terminates")
	void waitingHandOffCancelledAndItsCallbackRuns() {
		DefaultEventLoop loop = loop(Duration.ofMillis(100));
		DefaultLoopFuture<String> future = loop.handOffs.create();
		List<Boolean> seen = new ArrayList<>();
		future.addDoneCallback((done) -> seen.add(done.cancelled()));
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			loop.close();
			assertThat(log.messages(Level.WARN))
				.containsExactly("EventLoop 'shutdown' cancelled 1 future(s) whose work had not completed when it closed");
			assertThat(log.messages(Level.ERROR)).isEmpty();
		}
		assertThat(seen).containsExactly(true);
		assertThat(catchThrowable(future::result)).isInstanceOf(CancellationException.class)
			.hasMessage("EventLoop 'shutdown' closed before the work behind this future completed (drain timeout PT0.1S)");
	}

	@Test
	@DisplayName("a timer not due when the close begins is cancelled at once: it does not fire during a long drain")
	void timerCancelledBeforeTheDrain() {
		DefaultEventLoop loop = loop(Duration.ofMillis(600));
		loop.handOffs.create(); // keeps the drain busy until its timeout
		List<String> ran = new ArrayList<>();
		ScheduledCallback timer = loop.callLater(Duration.ofMillis(100), () -> ran.add("timer"));
		loop.close();
		assertThat(timer.cancelled()).isTrue();
		assertThat(ran).isEmpty();
	}

	@Test
	@DisplayName("a timer that a callback schedules during the drain is cancelled when the loop terminates")
	void timerScheduledDuringTheDrainCancelled() {
		DefaultEventLoop loop = loop(Duration.ofSeconds(1));
		ScheduledCallback[] timer = new ScheduledCallback[1];
		loop.execute(() -> timer[0] = loop.callLater(Duration.ofHours(1), () -> {
		}));
		loop.close();
		assertThat(timer[0]).isNotNull();
		assertThat(timer[0].cancelled()).isTrue();
	}

}
