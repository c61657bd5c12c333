package dev.eddy.internal;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import ch.qos.logback.classic.Level;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.LogCapture;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link DefaultFutures} where {@code FuturesTests} (which drives it through the public
 * {@code Futures}) does not reach: {@code allOf} observing an Eddy input, {@code chain} of two
 * {@code CompletableFuture}s when the loop is closed, {@code fromCallbacks} whose start throws
 * after it was handed the consumers (RF-6), the loop letting go of a settled {@code fromCallback}
 * future, and an {@link OutOfMemoryError} from a FADC-3 callback not being contained. On an
 * {@code onCurrentThread} loop driven by the test thread; no Spring context.
 */
class DefaultFuturesTests {

	private final DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("futures").onCurrentThread();

	private final DefaultFutures futures = new DefaultFutures(this.loop);

	@AfterEach
	void closeLoop() {
		this.loop.close();
	}

	@Test
	@DisplayName("allOf marks a failed Eddy input observed: its duty moves to the returned future (CH-8), the input's tracker is gone")
	void allOf_eddyInputMarkedObserved() {
		UnobservedFailureDetector detector = UnobservedFailureDetector.builder().build();
		try {
			EddyCompletableFuture<String> input = EddyCompletableFuture.tracked(null, detector, "input",
					EddyCompletableFuture.labelFor("input"));
			IllegalStateException failure = new IllegalStateException("input failed");
			input.completeExceptionally(failure);
			assertThat(detector.trackedCount()).isEqualTo(1);
			CompletableFuture<Void> all = this.futures.allOf(input, CompletableFuture.completedFuture("plain"));
			assertThat(detector.trackedCount()).isZero();
			assertThat(catchThrowable(all::join)).hasCause(failure);
		}
		finally {
			detector.close();
		}
	}

	@Test
	@DisplayName("CH-3: chain(CompletableFuture, CompletableFuture) whose loop is closed copies on the completing thread, with a warning, rather than leave the target pending")
	void chainCompletables_loopClosed_copiesOnCompletingThread() {
		CompletableFuture<String> source = new CompletableFuture<>();
		CompletableFuture<String> target = new CompletableFuture<>();
		this.futures.chain(source, target);
		this.loop.close();
		try (LogCapture log = LogCapture.of(DefaultFutures.LOGGER_NAME)) {
			source.complete("v");
			assertThat(target.getNow("pending")).isEqualTo("v");
			assertThat(log.messages(Level.WARN)).singleElement()
				.asString()
				.startsWith("EventLoop 'futures' is closed; chain copied the outcome into ")
				.endsWith(" on thread '" + Thread.currentThread().getName() + "' instead of leaving it pending");
		}
	}

	@Test
	@DisplayName("RF-6: a start that throws after it took the consumers: the caller gets the throw, and the future ends failed with it, not pending")
	void fromCallbacks_startThrowsAfterTakingTheConsumers_futureFailed() {
		AtomicReference<Consumer<? super String>> ok = new AtomicReference<>();
		AtomicReference<Consumer<? super Throwable>> error = new AtomicReference<>();
		IllegalStateException boom = new IllegalStateException("boom");
		Throwable thrown = catchThrowable(() -> this.futures.<String>fromCallbacks((callback, onError) -> {
			ok.set(callback);
			error.set(onError);
			throw boom;
		}, Duration.ofHours(1)));
		assertThat(thrown).isSameAs(boom);
		this.loop.runUntilIdle();
		// The future is reachable only through the consumers; their toString names it, with its state.
		assertThat(ok.get().toString()).startsWith("fromCallback callback of LoopFuture[loop=futures](failed: ")
			.contains("boom");
		assertThat(error.get().toString()).startsWith("fromCallbacks error callback of LoopFuture[loop=futures](failed: ");
		assertThat(this.loop.statistics().callbacksFailed()).isZero();
	}

	@Test
	@DisplayName("RF-6: a start that settles the future and then throws: the caller gets the throw, the future keeps its value, no callback fails")
	void fromCallback_startSettlesThenThrows_futureKeepsValue() {
		AtomicReference<Consumer<? super String>> ok = new AtomicReference<>();
		IllegalStateException boom = new IllegalStateException("boom");
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			Throwable thrown = catchThrowable(() -> this.futures.<String>fromCallback((callback) -> {
				ok.set(callback);
				callback.accept("v");
				throw boom;
			}, null));
			assertThat(thrown).isSameAs(boom);
			this.loop.runUntilIdle();
			assertThat(ok.get().toString()).isEqualTo("fromCallback callback of LoopFuture[loop=futures](done: v)");
			assertThat(this.loop.statistics().callbacksFailed()).isZero();
			assertThat(log.messages(Level.ERROR)).isEmpty();
		}
	}

	@Test
	@DisplayName("RF-3: a fromCallback future settled on the loop thread is let go by the loop: nothing holds it once the caller drops it")
	void fromCallback_settledOnLoop_notHeldByTheLoop() throws Exception {
		WeakReference<LoopFuture<String>> settled = new WeakReference<>(
				this.futures.fromCallback((callback) -> callback.accept("v"), null));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (settled.get() != null && System.nanoTime() < deadline) {
			System.gc();
			Thread.sleep(10); // bounded: a collection, not a synchronisation
		}
		assertThat(settled.get()).as("the settled future, after bounded garbage collection").isNull();
	}

	@Test
	@DisplayName("FADC-3: an OutOfMemoryError from a callback on a CompletableFuture is not contained: the later callbacks do not run, nothing is logged")
	void addDoneCallback_outOfMemoryFromCallback_notContained() {
		CompletableFuture<String> future = new CompletableFuture<>();
		List<String> ran = new ArrayList<>();
		this.futures.addDoneCallback(future, (done) -> {
			ran.add("first");
			throw new OutOfMemoryError("simulated");
		});
		this.futures.addDoneCallback(future, (done) -> ran.add("second"));
		try (LogCapture log = LogCapture.of(DefaultFutures.LOGGER_NAME)) {
			assertThat(future.complete("v")).isTrue();
			assertThat(log.events()).isEmpty();
		}
		assertThat(ran).containsExactly("first");
	}

}
