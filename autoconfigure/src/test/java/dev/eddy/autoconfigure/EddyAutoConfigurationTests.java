package dev.eddy.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eddy.aop.RunOnExecutorAspect;
import dev.eddy.aop.RunOnExecutorMethods;
import dev.eddy.concurrent.Futures;
import dev.eddy.executor.ExecutorKind;
import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.executor.RejectionPolicy;
import dev.eddy.internal.Dispatcher;
import dev.eddy.loop.EventLoop;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which beans Eddy's auto-configuration registers, that each yields to an application bean, and
 * that the {@code eddy.*} properties reach them.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class EddyAutoConfigurationTests {

	// ---------------------------------------------------------------- default beans

	@Test
	void whenNoPropertiesShouldStartTheDefaultLoopInjectableByType() {
		EddyRunners.runner().withUserConfiguration(LoopUser.class).run((context) -> {
			assertThat(context).hasNotFailed();
			EventLoop loop = context.getBean(EventLoop.class);
			assertThat(context).getBean(EddyLoopAutoConfiguration.LOOP_BEAN).isSameAs(loop);
			assertThat(context.getBean(LoopUser.class).loop).isSameAs(loop);
			assertThat(loop.name()).isEqualTo("eddy-loop");
			CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
			loop.execute(() -> onLoop.complete(loop.inLoopThread()));
			assertThat(onLoop.get(5, TimeUnit.SECONDS)).as("a callback ran on the loop's own thread").isTrue();
		});
	}

	@Test
	void whenNoPropertiesShouldRegisterTheDefaultExecutorAsNoDefaultCandidate() {
		EddyRunners.runner().withUserConfiguration(ExecutorUser.class).run((context) -> {
			assertThat(context).hasNotFailed();
			NamedExecutors executors = context.getBean(NamedExecutors.class);
			assertThat(executors.names()).containsExactly("executor");
			assertThat(context).getBean(EddyExecutorsAutoConfiguration.NAMED_EXECUTORS_BEAN).isSameAs(executors);
			NamedExecutor executor = context.getBean("executor", NamedExecutor.class);
			assertThat(executors.find("executor")).isSameAs(executor);
			assertThat(executor.spec()).isEqualTo(ExecutorSpec.defaults("executor"));
			assertThat(((AbstractBeanDefinition) context.getBeanFactory().getBeanDefinition("executor")).isDefaultCandidate()).isFalse();
			assertThat(context).hasBean("applicationTaskExecutor");
			ExecutorUser user = context.getBean(ExecutorUser.class);
			assertThat(user.byType).as("an Executor injected by type is still Boot's")
				.isSameAs(context.getBean("applicationTaskExecutor"));
			assertThat(user.qualified).isSameAs(executor);
		});
	}

	@Test
	void whenNoPropertiesShouldRegisterFuturesDetectorAndAspect() {
		EddyRunners.runner().run((context) -> {
			assertThat(context).hasSingleBean(Futures.class)
				.hasSingleBean(UnobservedFailureDetector.class)
				.hasSingleBean(RunOnExecutorAspect.class)
				.hasSingleBean(RunOnExecutorMethods.class)
				.hasBean(EddyRunOnExecutorAutoConfiguration.ASPECT_BEAN);
			assertThat(context.getBean(UnobservedFailureDetector.class).level()).isEqualTo(UnobservedFailureDetector.Level.SIMPLE);
		});
	}

	// ---------------------------------------------------------------- user beans win

	@Test
	void whenUserDefinesAnEventLoopShouldUseIt() {
		EddyRunners.runner().withUserConfiguration(UserLoop.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(EventLoop.class).doesNotHaveBean(EddyLoopAutoConfiguration.LOOP_BEAN);
			assertThat(context.getBean(EventLoop.class).name()).isEqualTo("user-loop");
		});
	}

	@Test
	void whenUserDefinesNamedExecutorsShouldUseIt() {
		EddyRunners.runner().withUserConfiguration(UserNamedExecutors.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(NamedExecutors.class);
			NamedExecutors mine = context.getBean(NamedExecutors.class);
			assertThat(mine.find("executor")).isInstanceOf(NamedExecutor.class);
			assertThat(((NamedExecutor) mine.find("executor")).spec().threadNamePrefix()).isEqualTo("mine-");
			assertThat(context.getBean("executor")).isSameAs(mine.find("executor"));
		});
	}

	@Test
	void whenUserDefinesFuturesShouldUseIt() {
		EddyRunners.runner().withUserConfiguration(UserFutures.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(Futures.class);
			assertThat(context.getBean(Futures.class)).isSameAs(context.getBean(UserFutures.class).futures);
		});
	}

	@Test
	void whenUserDefinesADetectorShouldUseIt() {
		EddyRunners.runner().withUserConfiguration(UserDetector.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(UnobservedFailureDetector.class);
			assertThat(context.getBean(UnobservedFailureDetector.class).level()).isEqualTo(UnobservedFailureDetector.Level.TRACED);
		});
	}

	@Test
	void whenUserDefinesTheAspectShouldUseIt() {
		EddyRunners.runner().withUserConfiguration(UserAspect.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(RunOnExecutorAspect.class);
			assertThat(context.getBean(RunOnExecutorAspect.class)).isSameAs(context.getBean(UserAspect.class).aspect);
			assertThat(context).doesNotHaveBean(EddyRunOnExecutorAutoConfiguration.ASPECT_BEAN);
		});
	}

	@Test
	void whenUserDefinesABeanNamedLikeAConfiguredExecutorShouldUseItAndWarn(CapturedOutput output) {
		EddyRunners.runner().withUserConfiguration(UserIoBean.class).withPropertyValues("eddy.executors.io.max-size=3")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Object io = context.getBean("io");
				assertThat(io).isInstanceOf(ThreadPoolTaskExecutor.class);
				NamedExecutors executors = context.getBean(NamedExecutors.class);
				assertThat(executors.find("io")).isSameAs(io);
				assertThat(executors.managed()).doesNotContainKey("io");
				assertThat(output).contains("WARN")
					.contains("The application defines a bean named 'io', which is used instead of the executor configured by"
							+ " eddy.executors.io.*; those settings are ignored. Rename the bean or the executor.");
			});
	}

	// ---------------------------------------------------------------- properties

	@Test
	void whenExecutorPropertiesAreSetShouldBuildTheExecutorFromThem() {
		EddyRunners.runner()
			.withPropertyValues("eddy.executors.io.kind=platform", "eddy.executors.io.core-size=2", "eddy.executors.io.max-size=4",
					"eddy.executors.io.queue-capacity=50", "eddy.executors.io.keep-alive=5s",
					"eddy.executors.io.rejection-policy=caller-runs", "eddy.executors.io.thread-name-prefix=io-pool-",
					"eddy.executors.io.await-termination=3s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				NamedExecutor io = context.getBean("io", NamedExecutor.class);
				assertThat(context.getBean(NamedExecutors.class).names()).containsExactlyInAnyOrder("executor", "io");
				assertThat(io.spec()).isEqualTo(new ExecutorSpec("io", ExecutorKind.PLATFORM, 2, 4, 50, Duration.ofSeconds(5),
						RejectionPolicy.CALLER_RUNS, "io-pool-", Duration.ofSeconds(3)));
				assertThat(io.threadPool().getCorePoolSize()).isEqualTo(2);
				assertThat(io.threadPool().getMaximumPoolSize()).isEqualTo(4);
				assertThat(io.threadPool().getKeepAliveTime(TimeUnit.SECONDS)).isEqualTo(5);
				assertThat(io.threadPool().getQueue().remainingCapacity()).isEqualTo(50);
				CompletableFuture<String> thread = new CompletableFuture<>();
				io.execute(() -> thread.complete(Thread.currentThread().getName()));
				assertThat(thread.get(5, TimeUnit.SECONDS)).startsWith("io-pool-");
				assertThat(((AbstractBeanDefinition) context.getBeanFactory().getBeanDefinition("io")).isDefaultCandidate()).isFalse();
			});
	}

	@Test
	void whenTheDefaultExecutorIsConfiguredShouldUseTheProperties() {
		EddyRunners.runner().withPropertyValues("eddy.executors.executor.max-size=3").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(NamedExecutors.class).names()).containsExactly("executor");
			assertThat(context.getBean("executor", NamedExecutor.class).spec().maxSize()).isEqualTo(3);
		});
	}

	@Test
	void whenLoopPropertiesAreSetShouldApplyThem(CapturedOutput output) {
		EddyRunners.runner()
			.withPropertyValues("eddy.loop.name=my-loop", "eddy.loop.debug=true", "eddy.loop.slow-callback-threshold=20ms",
					"eddy.loop.drain-timeout=3s", "eddy.loop.queue-capacity=1234")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				EventLoop loop = context.getBean(EventLoop.class);
				assertThat(loop.name()).isEqualTo("my-loop");
				assertThat(ReflectionTestUtils.getField(loop, "drainTimeout")).isEqualTo(Duration.ofSeconds(3));
				assertThat(ReflectionTestUtils.getField(loop, "capacity")).isEqualTo(1234);
				CompletableFuture<Void> slow = new CompletableFuture<>();
				loop.execute(() -> {
					sleep(80);
					slow.complete(null);
				});
				slow.get(5, TimeUnit.SECONDS);
				awaitOutput(output, "on EventLoop 'my-loop' took");
				assertThat(output).contains("(slow-callback threshold 20 ms)");
			});
	}

	@Test
	void whenUnobservedPropertiesAreSetShouldApplyThem() {
		EddyRunners.runner().withPropertyValues("eddy.unobserved.level=traced", "eddy.unobserved.max-tracked=5").run((context) -> {
			assertThat(context).hasNotFailed();
			UnobservedFailureDetector detector = context.getBean(UnobservedFailureDetector.class);
			assertThat(detector.level()).isEqualTo(UnobservedFailureDetector.Level.TRACED);
			assertThat(ReflectionTestUtils.getField(detector, "maxTracked")).isEqualTo(5);
		});
	}

	@Test
	void whenRunOnExecutorIsDisabledShouldRegisterNoAspect() {
		EddyRunners.runner().withPropertyValues("eddy.run-on-executor.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(RunOnExecutorAspect.class).hasSingleBean(NamedExecutors.class);
		});
	}

	// ---------------------------------------------------------------- TaskDecorator

	@Test
	void whenATaskDecoratorBeanExistsShouldApplyItToNamedExecutors() {
		EddyRunners.runner().withUserConfiguration(CountingDecorator.class).withPropertyValues("eddy.executors.io.max-size=2")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AtomicInteger decorated = context.getBean(CountingDecorator.class).decorated;
				for (String name : List.of("executor", "io")) {
					CompletableFuture<Void> ran = new CompletableFuture<>();
					int before = decorated.get();
					context.getBean(name, NamedExecutor.class).execute(() -> ran.complete(null));
					ran.get(5, TimeUnit.SECONDS);
					assertThat(decorated.get()).as("decorations after a task on '%s'", name).isEqualTo(before + 1);
				}
			});
	}

	// ---------------------------------------------------------------- helpers

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static void awaitOutput(CapturedOutput output, String text) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (!output.toString().contains(text) && System.nanoTime() < deadline) {
			sleep(10);
		}
		assertThat(output).contains(text);
	}

	@Configuration(proxyBeanMethods = false)
	static class LoopUser {

		EventLoop loop;

		@Bean
		String loopUser(EventLoop loop) {
			this.loop = loop;
			return "uses the loop";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ExecutorUser {

		Executor byType;

		Executor qualified;

		@Bean
		String executorUser(Executor executor, @Qualifier("executor") Executor qualified) {
			this.byType = executor;
			this.qualified = qualified;
			return "uses executors";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLoop {

		@Bean(destroyMethod = "close")
		EventLoop userLoop() {
			return EventLoop.create("user-loop");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserNamedExecutors {

		@Bean(destroyMethod = "close")
		NamedExecutors myExecutors() {
			return NamedExecutors.create(List.of(ExecutorSpec.builder("executor").threadNamePrefix("mine-").build()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserFutures {

		Futures futures;

		@Bean
		Futures myFutures(EventLoop loop) {
			this.futures = Futures.of(loop);
			return this.futures;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDetector {

		@Bean(destroyMethod = "close")
		UnobservedFailureDetector myDetector() {
			return UnobservedFailureDetector.builder().level(UnobservedFailureDetector.Level.TRACED).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserAspect {

		RunOnExecutorAspect aspect;

		@Bean
		RunOnExecutorAspect myAspect(RunOnExecutorMethods methods, EventLoop loop, UnobservedFailureDetector detector) {
			this.aspect = new RunOnExecutorAspect(methods, new Dispatcher(loop, detector, null));
			return this.aspect;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserIoBean {

		@Bean
		ThreadPoolTaskExecutor io() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setThreadNamePrefix("user-io-");
			return executor;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CountingDecorator {

		final AtomicInteger decorated = new AtomicInteger();

		@Bean
		TaskDecorator countingDecorator() {
			return (task) -> {
				this.decorated.incrementAndGet();
				return task;
			};
		}

	}

}
