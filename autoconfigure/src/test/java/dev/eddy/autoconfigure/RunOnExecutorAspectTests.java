package dev.eddy.autoconfigure;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.loop.EventLoop;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @RunOnExecutor} through a real context: each return type, loop binding (D-4), ROE-5,
 * ROE-9, the four executor resolution steps (ROE-3, D-8), class-level annotations, unobserved
 * failures, and context propagation.
 */
@Timeout(60)
class RunOnExecutorAspectTests {

	private static final String SERVICE = "RunOnExecutorAspectTests.Service";

	private final ApplicationContextRunner runner = EddyRunners.runner()
		.withUserConfiguration(ServiceConfiguration.class)
		.withPropertyValues("eddy.executors.io.max-size=2", "eddy.executors.other.max-size=2");

	// ---------------------------------------------------------------- return types

	@Test
	void whenVoidMethodIsCalledShouldRunItOnThePool() {
		this.runner.run((context) -> {
			CompletableFuture<String> thread = new CompletableFuture<>();
			context.getBean(Service.class).voidRun(thread);
			assertThat(thread.get(5, TimeUnit.SECONDS)).startsWith("eddy-executor-");
		});
	}

	@Test
	void whenCompletableFutureMethodIsCalledShouldRunOnThePoolAndDeliverTheResult() {
		this.runner.run((context) -> {
			CompletableFuture<String> future = context.getBean(Service.class).completable();
			assertThat(future.get(5, TimeUnit.SECONDS)).startsWith("eddy-executor-");
		});
	}

	@Test
	void whenCompletionStageMethodIsCalledShouldRunOnThePoolAndDeliverTheResult() {
		this.runner.run((context) -> {
			CompletionStage<String> stage = context.getBean(Service.class).stage();
			assertThat(stage.toCompletableFuture().get(5, TimeUnit.SECONDS)).startsWith("eddy-executor-");
		});
	}

	@Test
	void whenFutureMethodIsCalledShouldRunOnThePoolAndDeliverTheResult() {
		this.runner.run((context) -> {
			Future<String> future = context.getBean(Service.class).future();
			assertThat(future.get(5, TimeUnit.SECONDS)).startsWith("eddy-executor-");
		});
	}

	@Test
	void whenLoopFutureMethodIsCalledOffTheLoopShouldBindToTheDefaultLoopAndCompleteOnIt() {
		this.runner.run((context) -> {
			EventLoop loop = context.getBean(EventLoop.class);
			CountDownLatch gate = new CountDownLatch(1);
			LoopFuture<String> future = context.getBean(Service.class).loopFuture(gate);
			assertThat(future.loop()).isSameAs(loop);
			CompletableFuture<Boolean> completedOnLoop = new CompletableFuture<>();
			CompletableFuture<String> view = future.toCompletableFuture();
			// A done-callback runs on the loop in the iteration after the future completes there (CB-1).
			loop.execute(() -> future.addDoneCallback((done) -> completedOnLoop.complete(loop.inLoopThread() && done.done())));
			gate.countDown();
			assertThat(view.get(5, TimeUnit.SECONDS)).startsWith("eddy-executor-");
			assertThat(completedOnLoop.get(5, TimeUnit.SECONDS)).as("completed on the loop thread").isTrue();
		});
	}

	@Test
	void whenLoopFutureMethodIsCalledOnALoopThreadShouldBindToThatLoop() {
		this.runner.run((context) -> {
			Service service = context.getBean(Service.class);
			AtomicReference<EventLoop> bound = new AtomicReference<>();
			AtomicReference<Boolean> doneOnCallersLoop = new AtomicReference<>();
			try (EventLoop caller = EventLoop.create("caller")) {
				String result = caller.runSync(() -> {
					LoopFuture<String> future = service.loopFuture(new CountDownLatch(0));
					bound.set(future.loop());
					future.addDoneCallback((done) -> doneOnCallersLoop.set(caller.inLoopThread()));
					return future;
				}, Duration.ofSeconds(5));
				assertThat(result).startsWith("eddy-executor-");
				assertThat(bound.get()).isSameAs(caller);
			}
			assertThat(doneOnCallersLoop.get()).isTrue();
		});
	}

	// ---------------------------------------------------------------- ROE-5, ROE-9, void failures

	@Test
	void whenCompletableFutureBodyThrowsShouldFailTheFutureWithTheSameException() {
		this.runner.run((context) -> {
			IllegalStateException thrown = new IllegalStateException("body failed");
			CompletableFuture<String> future = context.getBean(Service.class).throwing(thrown);
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
				.havingCause()
				.isSameAs(thrown);
		});
	}

	@Test
	void whenLoopFutureBodyThrowsShouldFailTheFutureWithTheSameException() {
		this.runner.run((context) -> {
			EventLoop loop = context.getBean(EventLoop.class);
			IllegalStateException thrown = new IllegalStateException("body failed");
			LoopFuture<String> future = context.getBean(Service.class).loopThrowing(thrown);
			future.toCompletableFuture().handle((value, failure) -> null).get(5, TimeUnit.SECONDS);
			CompletableFuture<Throwable> exception = new CompletableFuture<>();
			loop.execute(() -> exception.complete(future.exception()));
			assertThat(exception.get(5, TimeUnit.SECONDS)).isSameAs(thrown);
		});
	}

	@Test
	void whenTheReturnedCompletableFutureIsCancelledShouldNotInterruptTheBody() {
		this.runner.run((context) -> {
			Slow slow = new Slow();
			CompletableFuture<String> future = context.getBean(Service.class).slow(slow);
			assertThat(slow.started.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(future.cancel(true)).isTrue();
			slow.release.countDown();
			assertThat(slow.finished.get(5, TimeUnit.SECONDS)).as("interrupted").isFalse();
		});
	}

	@Test
	void whenTheReturnedLoopFutureIsCancelledShouldNotInterruptTheBody() {
		this.runner.run((context) -> {
			EventLoop loop = context.getBean(EventLoop.class);
			Slow slow = new Slow();
			LoopFuture<String> future = context.getBean(Service.class).loopSlow(slow);
			assertThat(slow.started.await(5, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
			loop.execute(() -> cancelled.complete(future.cancel()));
			assertThat(cancelled.get(5, TimeUnit.SECONDS)).isTrue();
			slow.release.countDown();
			assertThat(slow.finished.get(5, TimeUnit.SECONDS)).as("interrupted").isFalse();
		});
	}

	@Test
	void whenVoidBodyThrowsShouldReportItAtOnceToTheListener() {
		this.runner.run((context) -> {
			Queue<UnobservedFailure> reports = context.getBean(ServiceConfiguration.class).reports;
			IllegalStateException thrown = new IllegalStateException("void failed");
			context.getBean(Service.class).voidFail(thrown);
			UnobservedFailure report = awaitReport(reports, SERVICE + "#voidFail", Duration.ofSeconds(5), false);
			assertThat(report.exception()).isSameAs(thrown);
		});
	}

	@Test
	void whenACompletableFutureIsAbandonedFailedShouldReportIt() {
		this.runner.run((context) -> {
			Queue<UnobservedFailure> reports = context.getBean(ServiceConfiguration.class).reports;
			abandonFailed(context.getBean(Service.class));
			UnobservedFailure report = awaitReport(reports, SERVICE + "#failing", Duration.ofSeconds(30), true);
			assertThat(report.exception()).hasMessage("abandoned");
		});
	}

	@Test
	void whenACompletableFutureFailureIsObservedWithJoinShouldNotReportIt() {
		this.runner.run((context) -> {
			Queue<UnobservedFailure> reports = context.getBean(ServiceConfiguration.class).reports;
			Service service = context.getBean(Service.class);
			observeFailed(service);
			abandonFailed(service); // a control, so that the collections below provably ran the detector
			awaitReport(reports, SERVICE + "#failing", Duration.ofSeconds(30), true);
			for (int i = 0; i < 5; i++) {
				System.gc();
				Thread.sleep(20);
			}
			assertThat(reports).extracting((report) -> report.exception().getMessage()).containsExactly("abandoned");
		});
	}

	private static void abandonFailed(Service service) throws Exception {
		CompletableFuture<String> future = service.failing("abandoned");
		while (!future.isDone()) { // isDone does not observe
			Thread.sleep(1);
		}
	}

	private static void observeFailed(Service service) {
		CompletableFuture<String> future = service.failing("observed");
		assertThatExceptionOfType(java.util.concurrent.CompletionException.class).isThrownBy(future::join);
	}

	// ---------------------------------------------------------------- resolution

	@Test
	void whenTargetHasAFieldNamedLikeTheExecutorShouldUseItReadOnEveryCall() {
		this.runner.run((context) -> {
			Resolution resolution = context.getBean(Resolution.class);
			assertThat(resolution.viaField().get(5, TimeUnit.SECONDS)).startsWith("field-a-");
			resolution.setFieldPool(resolution.second()); // through the proxy, onto the target
			assertThat(resolution.viaField().get(5, TimeUnit.SECONDS)).startsWith("field-b-");
		});
	}

	@Test
	void whenTargetHasAGetterNamedLikeTheExecutorShouldUseIt() {
		this.runner.run((context) -> {
			Resolution resolution = context.getBean(Resolution.class);
			assertThat(resolution.viaGetter().get(5, TimeUnit.SECONDS)).startsWith("getter-");
		});
	}

	@Test
	void whenANamedExecutorHasTheNameShouldUseIt() {
		this.runner.run((context) -> {
			Resolution resolution = context.getBean(Resolution.class);
			assertThat(resolution.viaNamed().get(5, TimeUnit.SECONDS)).startsWith("eddy-io-");
		});
	}

	@Test
	void whenOnlyAnExecutorBeanHasTheNameShouldUseIt() {
		this.runner.run((context) -> {
			Resolution resolution = context.getBean(Resolution.class);
			assertThat(resolution.viaBean().get(5, TimeUnit.SECONDS)).startsWith("bean-pool-");
		});
	}

	// ---------------------------------------------------------------- class level

	@Test
	void whenTheClassIsAnnotatedShouldRunPublicMethodsOnItsExecutor() {
		this.runner.run((context) -> {
			ClassLevel classLevel = context.getBean(ClassLevel.class);
			assertThat(classLevel.inherited().get(5, TimeUnit.SECONDS)).startsWith("eddy-io-");
		});
	}

	@Test
	void whenAMethodOfAnAnnotatedClassIsAnnotatedShouldUseTheMethodsExecutor() {
		this.runner.run((context) -> {
			ClassLevel classLevel = context.getBean(ClassLevel.class);
			assertThat(classLevel.overridden().get(5, TimeUnit.SECONDS)).startsWith("eddy-other-");
		});
	}

	// ---------------------------------------------------------------- context propagation

	@Test
	void whenMdcIsSetOnTheCallerShouldSeeItInTheBody() {
		this.runner.run((context) -> {
			MDC.put("request", "r-1");
			try {
				assertThat(context.getBean(Service.class).mdc().get(5, TimeUnit.SECONDS)).isEqualTo("r-1");
			}
			finally {
				MDC.remove("request");
			}
		});
	}

	@Test
	void whenMdcIsSetOnTheCallerShouldSeeItInLoopCallbacks() {
		this.runner.run((context) -> {
			EventLoop loop = context.getBean(EventLoop.class);
			CompletableFuture<String> seen = new CompletableFuture<>();
			MDC.put("request", "r-1");
			try {
				loop.execute(() -> seen.complete(MDC.get("request")));
			}
			finally {
				MDC.remove("request");
			}
			assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("r-1");
		});
	}

	@Test
	void whenMicrometerIsMissingShouldStillRunMethodsWithoutContextPropagation() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(ContextPropagatingDecorator.class);
			assertThat(context.getBean(Service.class).completable().get(5, TimeUnit.SECONDS)).startsWith("eddy-executor-");
		});
	}

	// ---------------------------------------------------------------- helpers

	private static UnobservedFailure awaitReport(Queue<UnobservedFailure> reports, String source, Duration timeout, boolean gc)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			for (UnobservedFailure report : reports) {
				if (report.source().equals(source)) {
					return report;
				}
			}
			if (gc) {
				System.gc();
			}
			Thread.sleep(10);
		}
		throw new AssertionError("No report from " + source + " within " + timeout + "; reports: " + reports);
	}

	/** Latches of a body that waits to be released and says whether it saw an interrupt. */
	static final class Slow {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final CompletableFuture<Boolean> finished = new CompletableFuture<>();

		String run() {
			this.started.countDown();
			try {
				this.release.await(10, TimeUnit.SECONDS);
				this.finished.complete(Thread.currentThread().isInterrupted());
			}
			catch (InterruptedException ex) {
				this.finished.complete(true);
			}
			return "finished";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ServiceConfiguration {

		final Queue<UnobservedFailure> reports = new ConcurrentLinkedQueue<>();

		@Bean
		Service service() {
			return new Service();
		}

		@Bean(destroyMethod = "close")
		Resolution resolution() {
			return new Resolution();
		}

		@Bean
		ClassLevel classLevel() {
			return new ClassLevel();
		}

		@Bean
		ThreadPoolTaskExecutor beanPool() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setThreadNamePrefix("bean-pool-");
			return executor;
		}

		@Bean
		UnobservedFailureListener recordingListener() {
			return this.reports::add;
		}

	}

	public static class Service {

		@RunOnExecutor
		public void voidRun(CompletableFuture<String> thread) {
			thread.complete(Thread.currentThread().getName());
		}

		@RunOnExecutor
		public void voidFail(RuntimeException failure) {
			throw failure;
		}

		@RunOnExecutor
		public CompletableFuture<String> completable() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor
		public CompletionStage<String> stage() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor
		public Future<String> future() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor
		public LoopFuture<String> loopFuture(CountDownLatch gate) {
			try {
				assertThat(gate.await(5, TimeUnit.SECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
			return LoopFuture.completed(Thread.currentThread().getName());
		}

		@RunOnExecutor
		public CompletableFuture<String> throwing(RuntimeException failure) {
			throw failure;
		}

		@RunOnExecutor
		public LoopFuture<String> loopThrowing(RuntimeException failure) {
			throw failure;
		}

		@RunOnExecutor
		public CompletableFuture<String> slow(Slow slow) {
			return CompletableFuture.completedFuture(slow.run());
		}

		@RunOnExecutor
		public LoopFuture<String> loopSlow(Slow slow) {
			return LoopFuture.completed(slow.run());
		}

		@RunOnExecutor
		public CompletableFuture<String> failing(String message) {
			throw new IllegalStateException(message);
		}

		@RunOnExecutor(executor = "io")
		public CompletableFuture<String> mdc() {
			return CompletableFuture.completedFuture(MDC.get("request"));
		}

	}

	public static class Resolution {

		private final ExecutorService first = Executors.newSingleThreadExecutor((task) -> new Thread(task, "field-a-1"));

		private final ExecutorService second = Executors.newSingleThreadExecutor((task) -> new Thread(task, "field-b-1"));

		private final ExecutorService getter = Executors.newSingleThreadExecutor((task) -> new Thread(task, "getter-1"));

		private Executor fieldPool = this.first;

		public Executor second() {
			return this.second;
		}

		public void setFieldPool(Executor fieldPool) {
			this.fieldPool = fieldPool;
		}

		public Executor getGetterPool() {
			return this.getter;
		}

		@RunOnExecutor("fieldPool")
		public CompletableFuture<String> viaField() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor("getterPool")
		public CompletableFuture<String> viaGetter() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor("io")
		public CompletableFuture<String> viaNamed() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor("beanPool")
		public CompletableFuture<String> viaBean() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		public void close() {
			this.first.shutdownNow();
			this.second.shutdownNow();
			this.getter.shutdownNow();
		}

	}

	@RunOnExecutor("io")
	public static class ClassLevel {

		public CompletableFuture<String> inherited() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor("other")
		public CompletableFuture<String> overridden() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

}
