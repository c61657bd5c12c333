package dev.eddy.internal;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.internal.Dispatcher.ReturnKind;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.Cancellations;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The {@code @RunOnExecutor} dispatcher without Spring: each return kind gets its outcome,
 * rejections fail the future or reach the caller (D-6), a shutdown that abandons the task cancels
 * its future, a void body's failure is reported at once, and a body returning the wrong kind
 * fails its future with the fix (ROE-5).
 */
@Timeout(30)
class DispatcherTests {

	private static final String SOURCE = "Service#call";

	private final List<UnobservedFailure> reports = new CopyOnWriteArrayList<>();

	private final UnobservedFailureDetector detector = UnobservedFailureDetector.builder()
		.level(UnobservedFailureDetector.Level.SIMPLE)
		.listener(this.reports::add)
		.build();

	private final EventLoop loop = EventLoop.builder("dispatch").unobservedFailureDetector(this.detector).start();

	private final NamedExecutor pool = NamedExecutor.create(ExecutorSpec.builder("io").maxSize(1).queueCapacity(1).build());

	private final Dispatcher dispatcher = new Dispatcher(this.loop, this.detector, null);

	@AfterEach
	void tearDown() {
		this.pool.close();
		this.loop.close();
		this.detector.close();
	}

	@Test
	void returnKind_mapsEachSupportedDeclaredType() {
		assertThat(ReturnKind.of(void.class)).isEqualTo(ReturnKind.VOID);
		assertThat(ReturnKind.of(LoopFuture.class)).isEqualTo(ReturnKind.LOOP_FUTURE);
		assertThat(ReturnKind.of(CompletableFuture.class)).isEqualTo(ReturnKind.COMPLETABLE_FUTURE);
		assertThat(ReturnKind.of(CompletionStage.class)).isEqualTo(ReturnKind.COMPLETABLE_FUTURE);
		assertThat(ReturnKind.of(Future.class)).isEqualTo(ReturnKind.COMPLETABLE_FUTURE);
		assertThat(ReturnKind.of(String.class)).isNull();
		assertThat(ReturnKind.of(Void.class)).isNull();
	}

	@Test
	void constructor_refusesALoopNotMadeByEventLoopCreate() {
		EventLoop foreign = (EventLoop) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { EventLoop.class }, (proxy, method, args) -> "toString".equals(method.getName()) ? "foreign" : null);
		assertThatIllegalArgumentException().isThrownBy(() -> new Dispatcher(foreign, this.detector, null))
			.withMessage("'defaultLoop' must be made by EventLoop.create, was foreign");
	}

	@Test
	void void_runsTheBodyOnTheExecutorAndReturnsNull() throws Exception {
		CompletableFuture<String> thread = new CompletableFuture<>();
		Object returned = this.dispatcher.dispatch(ReturnKind.VOID, this.pool, SOURCE, () -> {
			thread.complete(Thread.currentThread().getName());
			return null;
		});
		assertThat(returned).isNull();
		assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("eddy-io-");
		await().until(() -> this.pool.succeededCount() == 1);
	}

	@Test
	void void_aFailingBodyIsReportedAtOnceAndCountedAsAFailure() {
		IllegalStateException boom = new IllegalStateException("boom");
		this.dispatcher.dispatch(ReturnKind.VOID, this.pool, SOURCE, () -> {
			throw boom;
		});
		await().until(() -> this.reports.size() == 1);
		assertThat(this.reports.get(0).exception()).isSameAs(boom);
		assertThat(this.reports.get(0).source()).isEqualTo(SOURCE);
		assertThat(this.reports.get(0).description()).isEqualTo("void @RunOnExecutor method " + SOURCE);
		await().until(() -> this.pool.failedCount() == 1);
	}

	@Test
	void void_aRejectionIsThrownToTheCaller() throws Exception {
		Executor refusing = (task) -> {
			throw new RejectedExecutionException("full");
		};
		assertThatExceptionOfType(RejectedExecutionException.class)
			.isThrownBy(() -> this.dispatcher.dispatch(ReturnKind.VOID, refusing, SOURCE, () -> null))
			.withMessage("full");
	}

	@Test
	void void_onAPlainExecutor_theBodysThrowStaysInsideTheTask() throws Exception {
		AtomicReference<Throwable> seenByPool = new AtomicReference<>();
		CountDownLatch ran = new CountDownLatch(1);
		Executor plain = (task) -> new Thread(() -> {
			try {
				task.run();
			}
			catch (Throwable ex) {
				seenByPool.set(ex);
			}
			ran.countDown();
		}).start();
		this.dispatcher.dispatch(ReturnKind.VOID, plain, SOURCE, () -> {
			throw new IllegalStateException("boom");
		});
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(seenByPool.get()).as("already reported: a plain executor would log it a second time").isNull();
		await().until(() -> this.reports.size() == 1);
	}

	@Test
	void loopFuture_fromAnotherThread_isAFutureOfTheDefaultLoopWithTheBodysValue() throws Exception {
		LoopFuture<?> future = (LoopFuture<?>) this.dispatcher.dispatch(ReturnKind.LOOP_FUTURE, this.pool, SOURCE,
				() -> LoopFuture.completed("value"));
		assertThat(future.loop()).isSameAs(this.loop);
		assertThat(outcome(future).get(10, TimeUnit.SECONDS)).isEqualTo("value");
	}

	@Test
	void loopFuture_onALoopThread_isAFutureOfThatLoop() throws Exception {
		try (EventLoop other = EventLoop.builder("other").unobservedFailureDetector(this.detector).start()) {
			LoopFuture<?> future = other.submit(() -> {
				LoopFuture<?> dispatched = (LoopFuture<?>) this.dispatcher.dispatch(ReturnKind.LOOP_FUTURE, this.pool, SOURCE,
						() -> LoopFuture.completed("mine"));
				return LoopFuture.completed(dispatched);
			}).get(10, TimeUnit.SECONDS);
			assertThat(future.loop()).isSameAs(other);
			assertThat(other.submit(() -> cast(future)).get(10, TimeUnit.SECONDS)).isEqualTo("mine");
		}
	}

	@Test
	void loopFuture_aFailedLoopFutureReturned_failsTheFutureWithThatException() throws Exception {
		IllegalStateException boom = new IllegalStateException("boom");
		LoopFuture<?> future = (LoopFuture<?>) this.dispatcher.dispatch(ReturnKind.LOOP_FUTURE, this.pool, SOURCE,
				() -> LoopFuture.failed(boom));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> outcome(future).get(10, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(boom);
	}

	@Test
	void loopFuture_aPendingLoopFutureReturned_isChainedToItsOutcome() throws Exception {
		AtomicReference<LoopFuture<String>> inner = new AtomicReference<>();
		LoopFuture<?> future = (LoopFuture<?>) this.dispatcher.dispatch(ReturnKind.LOOP_FUTURE, this.pool, SOURCE, () -> {
			LoopFuture<String> pending = this.loop.submit(() -> {
				LoopFuture<String> made = this.loop.newFuture();
				inner.set(made);
				return LoopFuture.completed(made);
			}).get(10, TimeUnit.SECONDS);
			return pending;
		});
		await().until(() -> inner.get() != null);
		this.loop.execute(() -> inner.get().setResult("later"));
		assertThat(outcome(future).get(10, TimeUnit.SECONDS)).isEqualTo("later");
	}

	@Test
	void loopFuture_aCancelledLoopFutureReturned_failsTheFutureWithACancellation() throws Exception {
		LoopFuture<?> future = (LoopFuture<?>) this.dispatcher.dispatch(ReturnKind.LOOP_FUTURE, this.pool, SOURCE,
				() -> this.loop.submit(() -> {
					LoopFuture<String> made = this.loop.newFuture();
					made.cancel();
					return LoopFuture.completed(made);
				}).get(10, TimeUnit.SECONDS));
		assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> outcome(future).get(10, TimeUnit.SECONDS))
			.satisfies((thrown) -> assertThat(Cancellations.original(thrown)).hasMessage("the returned future was cancelled"));
	}

	@Test
	void loopFuture_aBodyReturningSomethingElse_failsTheFutureWithTheFix() {
		LoopFuture<?> future = (LoopFuture<?>) this.dispatcher.dispatch(ReturnKind.LOOP_FUTURE, this.pool, SOURCE,
				() -> "not a future");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> outcome(future).get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage(SOURCE + " returned not a future instead of a LoopFuture; return LoopFuture.completed(value) or"
					+ " LoopFuture.failed(exception)");
	}

	@Test
	void loopFuture_aThrowingBody_failsTheFutureAndTheExecutorCountsAFailure() {
		IllegalStateException boom = new IllegalStateException("boom");
		LoopFuture<?> future = (LoopFuture<?>) this.dispatcher.dispatch(ReturnKind.LOOP_FUTURE, this.pool, SOURCE, () -> {
			throw boom;
		});
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> outcome(future).get(10, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(boom);
		await().until(() -> this.pool.failedCount() == 1);
	}

	@Test
	void loopFuture_aRejection_failsTheFuture() {
		RejectedExecutionException full = new RejectedExecutionException("full");
		LoopFuture<?> future = (LoopFuture<?>) this.dispatcher.dispatch(ReturnKind.LOOP_FUTURE, (Executor) (task) -> {
			throw full;
		}, SOURCE, () -> LoopFuture.completed("never"));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> outcome(future).get(10, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(full);
	}

	@Test
	void loopFuture_abandonedAtShutdown_isCancelledWithTheExecutorsReason() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		NamedExecutor slow = NamedExecutor.create(ExecutorSpec.builder("slow")
			.maxSize(1)
			.queueCapacity(1)
			.awaitTermination(java.time.Duration.ofMillis(50))
			.build());
		try {
			slow.execute(() -> {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			LoopFuture<?> queued = (LoopFuture<?>) this.dispatcher.dispatch(ReturnKind.LOOP_FUTURE, slow, SOURCE,
					() -> LoopFuture.completed("never"));
			slow.close();
			assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> outcome(queued).get(10, TimeUnit.SECONDS))
				.satisfies((thrown) -> assertThat(Cancellations.original(thrown).getMessage())
					.startsWith("Executor 'slow' shut down before this task completed"));
		}
		finally {
			release.countDown();
			slow.close();
		}
	}

	@Test
	void completableFuture_copiesACompletedValue() throws Exception {
		CompletableFuture<?> future = (CompletableFuture<?>) this.dispatcher.dispatch(ReturnKind.COMPLETABLE_FUTURE, this.pool,
				SOURCE, () -> CompletableFuture.completedFuture("value"));
		assertThat(future.get(10, TimeUnit.SECONDS)).isEqualTo("value");
	}

	@Test
	void completableFuture_copiesAStageFailureWithoutItsCompletionExceptionLayer() {
		IllegalStateException boom = new IllegalStateException("boom");
		CompletableFuture<Object> inner = new CompletableFuture<>();
		CompletableFuture<?> future = (CompletableFuture<?>) this.dispatcher.dispatch(ReturnKind.COMPLETABLE_FUTURE, this.pool,
				SOURCE, () -> inner.thenApply((value) -> value));
		inner.completeExceptionally(boom);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(boom);
	}

	@Test
	void completableFuture_copiesAPendingStagesLaterValue() throws Exception {
		CompletableFuture<Object> inner = new CompletableFuture<>();
		CompletableFuture<?> future = (CompletableFuture<?>) this.dispatcher.dispatch(ReturnKind.COMPLETABLE_FUTURE, this.pool,
				SOURCE, () -> inner);
		inner.complete("later");
		assertThat(future.get(10, TimeUnit.SECONDS)).isEqualTo("later");
	}

	@Test
	void completableFuture_waitsForAPlainFuture() throws Exception {
		FutureTask<String> plain = new FutureTask<>(() -> "plain");
		plain.run();
		CompletableFuture<?> future = (CompletableFuture<?>) this.dispatcher.dispatch(ReturnKind.COMPLETABLE_FUTURE, this.pool,
				SOURCE, () -> plain);
		assertThat(future.get(10, TimeUnit.SECONDS)).isEqualTo("plain");
	}

	@Test
	void completableFuture_aFailedPlainFuture_failsWithItsCause() {
		IllegalStateException boom = new IllegalStateException("boom");
		FutureTask<String> plain = new FutureTask<>(() -> {
			throw boom;
		});
		plain.run();
		CompletableFuture<?> future = (CompletableFuture<?>) this.dispatcher.dispatch(ReturnKind.COMPLETABLE_FUTURE, this.pool,
				SOURCE, () -> plain);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(boom);
	}

	@Test
	void completableFuture_aCancelledPlainFuture_failsWithTheCancellation() {
		FutureTask<String> plain = new FutureTask<>(() -> "never");
		plain.cancel(false);
		CompletableFuture<?> future = (CompletableFuture<?>) this.dispatcher.dispatch(ReturnKind.COMPLETABLE_FUTURE, this.pool,
				SOURCE, () -> plain);
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
			.satisfies((thrown) -> assertThat(thrown instanceof CancellationException || thrown.getCause() instanceof CancellationException)
				.as("%s", thrown)
				.isTrue());
	}

	@Test
	void completableFuture_aBodyReturningSomethingElse_failsTheFutureWithTheFix() {
		CompletableFuture<?> future = (CompletableFuture<?>) this.dispatcher.dispatch(ReturnKind.COMPLETABLE_FUTURE, this.pool,
				SOURCE, () -> 42);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage(SOURCE + " returned 42 instead of a future; return CompletableFuture.completedFuture(value) or"
					+ " failedFuture(exception)");
	}

	@Test
	void completableFuture_aThrowingBody_failsTheFutureAndTheExecutorCountsAFailure() {
		Exception checked = new java.io.IOException("disk full");
		CompletableFuture<?> future = (CompletableFuture<?>) this.dispatcher.dispatch(ReturnKind.COMPLETABLE_FUTURE, this.pool,
				SOURCE, () -> {
					throw checked;
				});
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(checked);
		await().until(() -> this.pool.failedCount() == 1);
	}

	@Test
	void completableFuture_aRejection_failsTheFuture() {
		RejectedExecutionException full = new RejectedExecutionException("full");
		CompletableFuture<?> future = (CompletableFuture<?>) this.dispatcher.dispatch(ReturnKind.COMPLETABLE_FUTURE,
				(Executor) (task) -> {
					throw full;
				}, SOURCE, () -> CompletableFuture.completedFuture("never"));
		assertThat(future).isCompletedExceptionally();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(full);
	}

	@Test
	void completableFuture_abandonedAtShutdown_isFailedWithTheExecutorsReason() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		NamedExecutor slow = NamedExecutor.create(ExecutorSpec.builder("slow")
			.maxSize(1)
			.queueCapacity(1)
			.awaitTermination(java.time.Duration.ofMillis(50))
			.build());
		try {
			slow.execute(() -> {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			CompletableFuture<?> queued = (CompletableFuture<?>) this.dispatcher.dispatch(ReturnKind.COMPLETABLE_FUTURE, slow,
					SOURCE, () -> CompletableFuture.completedFuture("never"));
			slow.close();
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> queued.get(10, TimeUnit.SECONDS))
				.satisfies((thrown) -> assertThat(rootOf(thrown).getMessage())
					.startsWith("Executor 'slow' shut down before this task completed"));
		}
		finally {
			release.countDown();
			slow.close();
		}
	}

	@Test
	void contextPropagation_wrapsEachTaskOnTheCallingThread() throws Exception {
		List<String> wrappedOn = new CopyOnWriteArrayList<>();
		UnaryOperator<Runnable> propagation = (task) -> {
			wrappedOn.add(Thread.currentThread().getName());
			return task;
		};
		Dispatcher propagating = new Dispatcher(this.loop, this.detector, propagation);
		CompletableFuture<?> future = (CompletableFuture<?>) propagating.dispatch(ReturnKind.COMPLETABLE_FUTURE, this.pool,
				SOURCE, () -> CompletableFuture.completedFuture("ok"));
		assertThat(future.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
		assertThat(wrappedOn).containsExactly(Thread.currentThread().getName());
	}

	private static Throwable rootOf(Throwable thrown) {
		Throwable current = thrown;
		while (current.getCause() != null && current.getCause() != current) {
			current = current.getCause();
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	private static <T> LoopFuture<T> cast(LoopFuture<?> future) {
		return (LoopFuture<T>) future;
	}

	/** Reads a loop future's outcome from the test thread, through its loop. */
	private static CompletableFuture<Object> outcome(LoopFuture<?> future) {
		return future.loop().submit(() -> cast(future));
	}

}
