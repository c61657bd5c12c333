package dev.eddy.loop;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.eddy.concurrent.LoopFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.eddy.testsupport.Cancellations.original;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code submit}: a non-blocking hop onto the loop for callers on other threads.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventLoopSubmitTests {

	private final EventLoop loop = EventLoop.create("submit");

	@AfterEach
	void close() {
		this.loop.close();
	}

	@Test
	void submit_fromAnotherThread_completesOnTheLoopWithTheResult() throws Exception {
		AtomicReference<Thread> completedOn = new AtomicReference<>();
		CompletableFuture<String> result = this.loop.submit(() -> {
			LoopFuture<String> future = this.loop.newFuture();
			this.loop.callLater(Duration.ofMillis(20), () -> future.setResult("later"));
			return future;
		});
		CompletableFuture<String> seen = result.whenComplete((v, t) -> completedOn.compareAndSet(null, Thread.currentThread()));
		assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("later");
		assertThat(completedOn.get().getName()).isEqualTo("submit");
	}

	@Test
	void submit_failedFuture_passesTheSameException() {
		IOException failure = new IOException("disk full");
		CompletableFuture<String> result = this.loop.submit(() -> LoopFuture.failed(failure));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> result.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(failure);
	}

	@Test
	void submit_cancelledFuture_cancelsTheResult() {
		CompletableFuture<String> result = this.loop.submit(() -> {
			LoopFuture<String> future = this.loop.newFuture();
			future.cancel("no longer needed");
			return future;
		});
		Throwable thrown = original(catchThrowable(() -> result.get(5, TimeUnit.SECONDS)));
		assertThat(thrown).isInstanceOf(java.util.concurrent.CancellationException.class).hasMessage("no longer needed");
		assertThat(result).isCancelled();
	}

	@Test
	void submit_supplierThrowsOrReturnsNull_failsTheResult() {
		IllegalStateException broken = new IllegalStateException("broken supplier");
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> this.loop.submit(() -> {
				throw broken;
			}).get(5, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(broken);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> this.loop.<String>submit(() -> null).get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(NullPointerException.class)
			.withMessage("The supplier returned null instead of a future of EventLoop 'submit'; return"
					+ " loop.newFuture() or LoopFuture.completed(value)");
	}

	@Test
	void submit_onAClosedLoop_isRejected() {
		this.loop.close();
		assertThatExceptionOfType(EventLoopClosedException.class)
			.isThrownBy(() -> this.loop.submit(() -> LoopFuture.completed("x")))
			.withMessageStartingWith("EventLoop 'submit' is closed and rejected callback");
	}

}
