package dev.eddy.internal;

import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a loop's {@link LoopInbox} does with work found after the loop closed: a rejectable
 * entry is told, anything else is counted as rejected and logged once with the count, and a
 * caller's own entry is reported back to it; a delivery to a closed loop is refused, counted
 * and logged.
 */
class LoopInboxTests {

	@Test
	@DisplayName("leftovers after close: the rejectable one is told, the others counted and logged with their number, the caller's own reported back")
	void leftoversAfterClose() {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.onCurrentThread("inbox");
		loop.close();
		List<String> ran = new ArrayList<>();
		Runnable mine = () -> ran.add("mine");
		loop.inbox.offer((Runnable) () -> ran.add("plain 1"));
		loop.inbox.offer(Rejectable.orElse(() -> ran.add("task"), () -> ran.add("fallback")));
		loop.inbox.offer(mine);
		loop.inbox.offer((Runnable) () -> ran.add("plain 2"));
		long rejected = loop.statistics().callbacksRejected();
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			assertThat(loop.inbox.disposeLeftovers(mine)).isTrue();
			assertThat(log.messages(Level.ERROR)).containsExactly(
					"EventLoop 'inbox' is closed; 2 callback(s) queued around the close never ran and were counted as rejected");
		}
		assertThat(ran).containsExactly("fallback");
		assertThat(loop.statistics().callbacksRejected()).isEqualTo(rejected + 3); // two dropped, one refused with its fallback
		assertThat(loop.inbox.isEmpty()).isTrue();
		assertThat(loop.inbox.disposeLeftovers(mine)).isFalse();
	}

	@Test
	@DisplayName("leftovers that are all told (a rejectable task) log nothing")
	void onlyRejectableLeftovers() {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.onCurrentThread("inbox");
		loop.close();
		List<String> ran = new ArrayList<>();
		loop.inbox.offer(Rejectable.orElse(() -> ran.add("task"), () -> ran.add("fallback")));
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			assertThat(loop.inbox.disposeLeftovers(null)).isFalse();
			assertThat(log.messages(Level.ERROR)).isEmpty();
		}
		assertThat(ran).containsExactly("fallback");
	}

	@Test
	@DisplayName("a delivery to a closed loop is refused: false, counted as rejected, logged naming it; it never runs")
	void deliveryToClosedLoop() {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.onCurrentThread("inbox");
		loop.close();
		List<String> ran = new ArrayList<>();
		Runnable late = new Runnable() {
			@Override
			public void run() {
				ran.add("late");
			}

			@Override
			public String toString() {
				return "the late one";
			}
		};
		long rejected = loop.statistics().callbacksRejected();
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			assertThat(loop.tryDeliver(late)).isFalse();
			assertThat(log.messages(Level.ERROR)).containsExactly(
					"EventLoop 'inbox' is closed; dropped callback the late one that completes work started before the close");
		}
		assertThat(loop.statistics().callbacksRejected()).isEqualTo(rejected + 1);
		assertThat(loop.ready.isEmpty()).isTrue();
		assertThat(ran).isEmpty();
	}

	@Test
	@DisplayName("work queued by another thread is in the inbox until the loop drains it: the pending gauge counts it")
	void pendingCountsTheInbox() throws InterruptedException {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.onCurrentThread("inbox");
		try {
			Thread producer = new Thread(() -> {
				loop.execute(() -> {
				});
				loop.execute(() -> {
				});
			});
			producer.start();
			producer.join(10_000);
			assertThat(loop.inbox.size()).isEqualTo(2);
			assertThat(loop.inbox.isEmpty()).isFalse();
			assertThat(loop.statistics().pending()).isEqualTo(2);
			assertThat(loop.runOnce()).isEqualTo(2);
			assertThat(loop.statistics().pending()).isZero();
		}
		finally {
			loop.close();
		}
	}

}
