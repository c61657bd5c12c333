package dev.eddy.internal;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code runSync} from a thread that is no loop's ({@link SupplierHop}): an interrupted caller
 * cancels the future it waited for, and an {@code Error} comes back as itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SupplierHopTests {

	private final EventLoop loop = EventLoop.create("hop");

	@AfterEach
	void close() throws InterruptedException {
		this.loop.close();
		assertThat(this.loop.awaitTermination(Duration.ofSeconds(10))).isTrue();
	}

	@Test
	@DisplayName("an interrupted runSync caller gets the InterruptedException, and the future it waited for is cancelled")
	void interruptedCallerCancelsTheFuture() throws Exception {
		CompletableFuture<LoopFuture<String>> made = new CompletableFuture<>();
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		Thread caller = new Thread(() -> thrown.set(catchThrowable(() -> this.loop.runSync(() -> {
			LoopFuture<String> future = this.loop.newFuture();
			made.complete(future);
			return future;
		}, Duration.ofMinutes(1)))));
		caller.start();
		LoopFuture<String> future = made.get(10, TimeUnit.SECONDS);
		caller.interrupt();
		caller.join(10_000);
		assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
		String message = this.loop.submit(() -> {
			try {
				future.result();
				return LoopFuture.completed("not cancelled");
			}
			catch (CancellationException ex) {
				return LoopFuture.completed(ex.getMessage());
			}
		}).get(10, TimeUnit.SECONDS);
		assertThat(message).isEqualTo("runSync on EventLoop 'hop' was interrupted");
	}

	@Test
	@DisplayName("an Error from the supplier, or as the future's failure, reaches the runSync caller as the same object")
	void errorComesBackAsItself() {
		AssertionError thrownBySupplier = new AssertionError("supplier");
		assertThat(catchThrowable(() -> this.loop.runSync(() -> {
			throw thrownBySupplier;
		}, Duration.ofSeconds(10)))).isSameAs(thrownBySupplier);
		AssertionError failure = new AssertionError("failure");
		assertThat(catchThrowable(() -> this.loop.runSync(() -> LoopFuture.failed(failure), Duration.ofSeconds(10))))
			.isSameAs(failure);
	}

}
