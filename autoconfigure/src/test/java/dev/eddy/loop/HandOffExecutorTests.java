package dev.eddy.loop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.testsupport.Cancellations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link EventLoop#runInExecutor} reaches any {@link HandOffExecutor}, not only Eddy's named
 * executors, through the interface: the abandon callback cancels the future (nothing is left
 * pending), a throwing body is delivered to the future first and then rethrown for the
 * executor to count, and a plain {@link Executor} never sees that throw (ROE-5, D-6).
 */
@Timeout(30)
class HandOffExecutorTests {

	private final EventLoop loop = EventLoop.create("hand-off");

	@AfterEach
	void tearDown() {
		this.loop.close();
	}

	@Test
	void runInExecutor_onAHandOffExecutor_passesAnAbandonCallbackThatCancelsTheFuture() throws Exception {
		RecordingHandOffExecutor executor = new RecordingHandOffExecutor();
		CompletableFuture<String> outcome = this.loop.submit(() -> this.loop.runInExecutor(executor, () -> "never run"));
		executor.awaitSubmitted(1);
		assertThat(executor.abandons.get(0)).as("the two-argument execute was used").isNotNull();

		executor.abandons.get(0).accept(new CancellationException("pool 'x' shut down before this task completed"));

		assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> outcome.get(10, TimeUnit.SECONDS))
			.satisfies((thrown) -> assertThat(Cancellations.original(thrown))
				.hasMessage("pool 'x' shut down before this task completed"));
	}

	@Test
	void runInExecutor_onAHandOffExecutor_deliversTheFailureThenRethrowsItForTheExecutorToCount() throws Exception {
		RecordingHandOffExecutor executor = new RecordingHandOffExecutor();
		IllegalStateException boom = new IllegalStateException("boom");
		CompletableFuture<Object> outcome = this.loop.submit(() -> this.loop.runInExecutor(executor, () -> {
			throw boom;
		}));
		executor.awaitSubmitted(1);

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(executor.tasks.get(0)::run).isSameAs(boom);

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> outcome.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(boom);
	}

	@Test
	void runInExecutor_onAHandOffExecutor_wrapsACheckedFailureForTheExecutorButDeliversItUnwrapped() throws Exception {
		RecordingHandOffExecutor executor = new RecordingHandOffExecutor();
		Exception checked = new java.io.IOException("disk full");
		CompletableFuture<Object> outcome = this.loop.submit(() -> this.loop.runInExecutor(executor, () -> {
			throw checked;
		}));
		executor.awaitSubmitted(1);

		assertThatExceptionOfType(java.util.concurrent.CompletionException.class).isThrownBy(executor.tasks.get(0)::run)
			.havingCause()
			.isSameAs(checked);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> outcome.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(checked);
	}

	@Test
	void runInExecutor_onAPlainExecutor_keepsTheThrowFromThePool() throws Exception {
		List<Runnable> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
		Executor plain = tasks::add;
		IllegalStateException boom = new IllegalStateException("boom");
		CompletableFuture<Object> outcome = this.loop.submit(() -> this.loop.runInExecutor(plain, () -> {
			throw boom;
		}));
		// submit's supplier ran on the loop thread before the future completes; wait for the task to be handed over
		await(() -> !tasks.isEmpty());

		assertThatCode(tasks.get(0)::run).as("a plain executor would log or lose the throw").doesNotThrowAnyException();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> outcome.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(boom);
	}

	@Test
	void runInExecutor_whenTheHandOffExecutorRejects_failsTheFutureAndNeverCallsAbandon() throws Exception {
		RejectedExecutionException full = new RejectedExecutionException("pool 'x' is full");
		List<Consumer<? super CancellationException>> abandons = new java.util.concurrent.CopyOnWriteArrayList<>();
		HandOffExecutor rejecting = new HandOffExecutor() {

			@Override
			public void execute(Runnable task) {
				throw new AssertionError("the one-argument execute must not be used");
			}

			@Override
			public void execute(Runnable task, Consumer<? super CancellationException> onAbandon) {
				abandons.add(onAbandon);
				throw full;
			}

		};
		CompletableFuture<Object> outcome = this.loop.submit(() -> this.loop.runInExecutor(rejecting, () -> "never run"));

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> outcome.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(full);
		assertThat(abandons).hasSize(1);
	}

	@Test
	void runInExecutor_onAHandOffExecutor_completesWithTheValueOneIterationLater() throws Exception {
		RecordingHandOffExecutor executor = new RecordingHandOffExecutor();
		CompletableFuture<LoopFuture<String>> future = new CompletableFuture<>();
		this.loop.execute(() -> future.complete(this.loop.runInExecutor(executor, () -> "value")));
		LoopFuture<String> handedOff = future.get(10, TimeUnit.SECONDS);
		executor.awaitSubmitted(1);
		executor.tasks.get(0).run();
		CompletableFuture<String> result = this.loop.submit(() -> handedOff);
		assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("value");
	}

	private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("condition not met within 10 s");
			}
			Thread.sleep(5);
		}
	}

	/** Keeps what it is given, so that the test runs or abandons each task itself. */
	private static final class RecordingHandOffExecutor implements HandOffExecutor {

		final List<Runnable> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();

		final List<Consumer<? super CancellationException>> abandons = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Override
		public void execute(Runnable task) {
			throw new AssertionError("the one-argument execute must not be used for a hand-off");
		}

		@Override
		public void execute(Runnable task, Consumer<? super CancellationException> onAbandon) {
			this.abandons.add(onAbandon);
			this.tasks.add(task);
		}

		void awaitSubmitted(int count) throws InterruptedException {
			await(() -> this.tasks.size() >= count);
		}

	}

}
