package dev.eddy.loop;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.eddy.concurrent.Futures;
import dev.eddy.concurrent.LoopFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a loop owes the work it accepted when it ends (issue 12): work dropped because the loop
 * closed is counted as rejected whichever entry point queued it, and a {@code fromCallback}
 * future still waiting for its callback is ended at once, naming {@code fromCallback}, instead
 * of holding {@code close()} for the whole drain timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventLoopCloseAccountingTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	@DisplayName("execute and submit queued before the owner thread ended are both counted as rejected when dropped")
	void droppedAtTermination_executeAndSubmit_areBothCountedAsRejected() throws Exception {
		AtomicReference<EventLoop> made = new AtomicReference<>();
		CountDownLatch queued = new CountDownLatch(1);
		Thread owner = new Thread(() -> {
			made.set(EventLoop.onCurrentThread("dropping"));
			try {
				queued.await(); // the loop never runs: its owner ends without close()
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "dropping-owner");
		owner.start();
		while (made.get() == null) {
			Thread.sleep(1);
		}
		EventLoop loop = made.get();
		loop.execute(() -> {
		});
		CompletableFuture<String> submitted = loop.submit(() -> LoopFuture.completed("never"));
		queued.countDown();
		owner.join(WAIT.toMillis());

		assertThat(loop.isTerminated()).isTrue();
		assertThatThrownBy(() -> submitted.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
			.cause()
			.isInstanceOf(EventLoopClosedException.class)
			.hasMessageContaining("terminated before it ran the supplier");
		assertThat(loop.statistics().callbacksRejected()).as("the dropped execute and the dropped submit").isEqualTo(2);
	}

	@Test
	@DisplayName("close() with a fromCallback future still waiting ends it at once, naming fromCallback, not after the drain timeout")
	void close_pendingFromCallback_isCancelledAtOnceNamingFromCallback() throws Exception {
		EventLoop loop = EventLoop.builder("waiting").drainTimeout(Duration.ofSeconds(30)).onCurrentThread();
		LoopFuture<String> future = Futures.of(loop).fromCallback((callback) -> {
			// keeps the callback and never calls it: the API it was given to lost it
		});
		long started = System.nanoTime();
		loop.close();
		long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

		assertThat(loop.isTerminated()).isTrue();
		assertThat(tookMillis).as("close() did not wait for the 30 s drain timeout").isLessThan(5_000);
		assertThat(future.cancelled()).isTrue();
		assertThatThrownBy(future::result).isInstanceOf(CancellationException.class)
			.hasMessageContaining("fromCallback")
			.hasMessageContaining("EventLoop 'waiting' closed");
	}

}
