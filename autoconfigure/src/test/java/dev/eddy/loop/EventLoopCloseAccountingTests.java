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
 * What a loop owes the work other threads give it (issue 12): work dropped because the loop
 * closed is counted as rejected whichever entry point queued it; a callback another thread
 * registers with {@code addFuture(CompletionStage, ...)}, and the copy a
 * {@code toCompletableFuture()} from another thread queues, take a slot of
 * {@code eddy.loop.queue-capacity} like any other; and a {@code fromCallback} future still
 * waiting for its callback is ended at once, naming {@code fromCallback}, instead of holding
 * {@code close()} for the whole drain timeout.
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
	@DisplayName("addFuture(CompletionStage) from another thread is bounded by the capacity until its callback ran")
	void addFutureOfStage_fromAnotherThread_isBoundedByTheCapacity() throws Exception {
		EventLoop loop = EventLoop.builder("bounded").queueCapacity(2).start();
		try {
			CompletableFuture<String> first = new CompletableFuture<>();
			CompletableFuture<String> second = new CompletableFuture<>();
			CompletableFuture<String> ran = new CompletableFuture<>();
			loop.addFuture(first, (done) -> ran.complete(done.toCompletableFuture().join()));
			loop.addFuture(second, (done) -> {
			});
			assertThatThrownBy(() -> loop.addFuture(new CompletableFuture<String>(), (done) -> {
			})).isInstanceOf(EventLoopFullException.class).hasMessageContaining("'eddy.loop.queue-capacity' is 2");
			assertThat(loop.statistics().callbacksRejected()).isEqualTo(1);

			first.complete("v");
			assertThat(ran.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("v");
			// The delivered callback gave its slot back: one more fits, and the loop still runs work.
			CompletableFuture<String> third = CompletableFuture.completedFuture("w");
			CompletableFuture<String> ranThird = new CompletableFuture<>();
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (true) {
				try {
					loop.addFuture(third, (done) -> ranThird.complete("third"));
					break;
				}
				catch (EventLoopFullException ex) {
					// the loop frees the slot once per iteration: right after the callback ran
					assertThat(System.nanoTime() - deadline).isNegative();
					Thread.sleep(1);
				}
			}
			assertThat(ranThird.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("third");
			second.complete("x");
		}
		finally {
			loop.close();
		}
	}

	@Test
	@DisplayName("toCompletableFuture() from another thread is bounded by the capacity: past it the view fails, counted")
	void toCompletableFuture_fromAnotherThread_isBoundedByTheCapacity() throws Exception {
		EventLoop loop = EventLoop.builder("viewed").queueCapacity(2).start();
		CountDownLatch release = new CountDownLatch(1);
		try {
			CompletableFuture<LoopFuture<String>> made = new CompletableFuture<>();
			loop.execute(() -> made.complete(loop.newFuture()));
			LoopFuture<String> future = made.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			CountDownLatch started = new CountDownLatch(1);
			loop.execute(() -> {
				started.countDown();
				try {
					release.await(); // the loop is busy: what other threads queue now waits in its inbox
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				future.setResult("v");
			});
			assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			long rejectedBefore = loop.statistics().callbacksRejected();

			CompletableFuture<String> first = future.toCompletableFuture();
			CompletableFuture<String> second = future.toCompletableFuture();
			CompletableFuture<String> third = future.toCompletableFuture();

			assertThat(third).isCompletedExceptionally();
			assertThatThrownBy(third::join).cause()
				.isInstanceOf(EventLoopFullException.class)
				.hasMessageContaining("'eddy.loop.queue-capacity' is 2");
			assertThat(loop.statistics().callbacksRejected() - rejectedBefore).isEqualTo(1);
			release.countDown();
			assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("v");
			assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("v");
		}
		finally {
			release.countDown();
			loop.close();
		}
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
