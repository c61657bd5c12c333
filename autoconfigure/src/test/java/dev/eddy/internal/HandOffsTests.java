package dev.eddy.internal;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

import ch.qos.logback.classic.Level;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The futures of a loop that wait for another thread ({@link HandOffs}), on an
 * {@code onCurrentThread} loop driven by the test: completed one iteration later (ROE-5), a
 * not-awaited one cancelled as the close begins and counted, a late outcome after the close
 * dropped without counting a rejection (ROE-9, CH-5).
 */
class HandOffsTests {

	private final DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("hand-offs").drainTimeout(Duration.ofMillis(100))
		.onCurrentThread();

	private final HandOffs handOffs = this.loop.handOffs;

	@AfterEach
	void close() {
		this.loop.close();
	}

	@Test
	@DisplayName("ROE-5: an outcome is a queued completion, named after its future, that completes it when the loop runs it")
	void completionIsQueued() {
		DefaultLoopFuture<String> future = this.handOffs.create();
		this.handOffs.complete(future, "v", null);
		assertThat(future.done()).isFalse();
		Object queued = this.loop.ready.poll();
		assertThat(queued).hasToString("hand-off to " + future);
		((Runnable) queued).run();
		assertThat(future.result()).isEqualTo("v");
		assertThat(this.handOffs.settle()).isTrue();
	}

	@Test
	@DisplayName("the hop of runInExecutor is named after the user's task")
	void hopNamedAfterTask() {
		Callable<String> task = new Callable<>() {
			@Override
			public String call() {
				return "v";
			}

			@Override
			public String toString() {
				return "the user's task";
			}
		};
		assertThat(this.handOffs.hopTo(this.handOffs.<String>create(), task)).hasToString("the user's task");
	}

	@Test
	@DisplayName("close cancels a not-awaited future at once, naming what it waited for, and counts it in its warning")
	void notAwaitedCancelledAndCounted() {
		DefaultLoopFuture<String> waiting = this.handOffs.createNotAwaited("its fromCallback callback");
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			this.loop.close();
			assertThat(log.messages(Level.WARN))
				.contains("EventLoop 'hand-offs' cancelled 1 future(s) whose work had not completed when it closed");
		}
		assertThat(waiting.cancelled()).isTrue();
		assertThat(catchThrowable(waiting::result)).isInstanceOf(CancellationException.class)
			.hasMessageStartingWith("EventLoop 'hand-offs' closed while this future was still waiting for its fromCallback callback;");
	}

	@Test
	@DisplayName("ROE-9: the late outcome of a hand-off the close cancelled is dropped quietly, not counted as a rejected callback")
	void lateOutcomeAfterCloseDropped() {
		DefaultLoopFuture<String> future = this.handOffs.create();
		this.loop.close();
		assertThat(future.cancelled()).isTrue();
		long rejected = this.loop.statistics().callbacksRejected();
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			this.handOffs.complete(future, "late", null);
			assertThat(log.messages(Level.ERROR)).isEmpty();
		}
		assertThat(this.loop.statistics().callbacksRejected()).isEqualTo(rejected);
	}

}
