package dev.eddy.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.eddy.actuate.EddyHealthIndicator;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.executor.ExecutorKind;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AOT's real processing of a context with Eddy: the generated code is compiled and the
 * context started from it (as {@code -Dspring.aot.enabled=true} does), then every
 * executor-resolution step (field, getter, named executor, bean, placeholder) and every return
 * type is called, and the meters, health and executors are read. The hints that processing
 * produced are checked with {@link RuntimeHintsPredicates}.
 */
@CompileWithForkedClassLoader
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EddyAotTests {

	private static final String[] PROPERTIES = { "eddy.executors.io.max-size=2", "eddy.executors.io.thread-name-prefix=aot-io-",
			"eddy.executor-defaults.queue-capacity=50", "calls.executor=io" };

	@Test
	void whenProcessedAheadOfTimeShouldStartFromGeneratedCodeWithEveryFeature() {
		GenericApplicationContext buildTime = new AnnotationConfigApplicationContext();
		TestPropertyValues.of(PROPERTIES).applyTo(buildTime);
		((AnnotationConfigApplicationContext) buildTime).register(AotApplication.class);
		TestGenerationContext generationContext = new TestGenerationContext();
		ClassName initializerName = new ApplicationContextAotGenerator().processAheadOfTime(buildTime, generationContext);
		generationContext.writeGeneratedContent();
		buildTime.close();
		RuntimeHints hints = generationContext.getRuntimeHints();
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(Calls.class, "fieldPool")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Calls.class, "getGetterPool")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(dev.eddy.concurrent.RunOnExecutor.class, "value"))
			.as("Eddy's registrar, loaded from META-INF/spring/aot.factories")
			.accepts(hints);
		TestCompiler.forSystem().with(generationContext).compile((compiled) -> {
			GenericApplicationContext context = new GenericApplicationContext();
			TestPropertyValues.of(PROPERTIES).applyTo(context);
			@SuppressWarnings("unchecked")
			ApplicationContextInitializer<GenericApplicationContext> initializer = compiled
				.getInstance(ApplicationContextInitializer.class, initializerName.toString());
			initializer.initialize(context);
			context.refresh();
			NamedExecutors executors = context.getBean(NamedExecutors.class);
			try {
				exercise(context);
			}
			catch (Exception ex) {
				throw new AssertionError(ex);
			}
			finally {
				context.close();
			}
			assertThat(executors.managed().values()).allMatch(NamedExecutor::isTerminated);
		});
	}

	private static void exercise(GenericApplicationContext context) throws Exception {
		assertThat(((org.springframework.beans.factory.support.AbstractBeanDefinition) context.getBeanFactory().getBeanDefinition("io")).getInstanceSupplier())
			.as("the executor bean comes from generated code")
			.isNotNull();
		NamedExecutor io = context.getBean("io", NamedExecutor.class);
		assertThat(io.spec().maxSize()).isEqualTo(2);
		assertThat(io.spec().queueCapacity()).as("eddy.executor-defaults.queue-capacity").isEqualTo(50);
		assertThat(io.spec().kind()).isEqualTo(ExecutorKind.PLATFORM);
		assertThat(context.getBean(NamedExecutors.class).names()).containsExactly("executor", "io");
		Calls calls = context.getBean(Calls.class);
		EventLoop loop = context.getBean(EventLoop.class);
		assertThat(calls.onField().get(10, TimeUnit.SECONDS)).startsWith("field-");
		assertThat(calls.onGetter().toCompletableFuture().get(10, TimeUnit.SECONDS)).startsWith("getter-");
		assertThat(calls.onNamed().get(10, TimeUnit.SECONDS)).startsWith("aot-io-");
		assertThat(calls.onBean().get(10, TimeUnit.SECONDS)).startsWith("bean-");
		assertThat(calls.onPlaceholder().get(10, TimeUnit.SECONDS)).startsWith("aot-io-");
		assertThat(calls.onDefault().get(10, TimeUnit.SECONDS)).startsWith("eddy-executor-");
		AtomicReference<String> loopResult = new AtomicReference<>();
		CountDownLatch done = new CountDownLatch(1);
		loop.execute(() -> calls.loopFuture().addDoneCallback((future) -> {
			loopResult.set(future.result() + " completed on " + Thread.currentThread().getName());
			done.countDown();
		}));
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(loopResult.get()).startsWith("aot-io-").endsWith(" completed on eddy-loop");
		calls.fireAndForget();
		assertThat(calls.awaitVoid()).startsWith("aot-io-");
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		assertThat(registry.find("eddy.executor.queue.wait").tag("name", "io").timers()).isNotEmpty();
		assertThat(registry.find("eddy.loop.callbacks").meters()).isNotEmpty();
		assertThat(context.getBean(EddyHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.UP);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
			AopAutoConfiguration.class, MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
			SimpleMetricsExportAutoConfiguration.class, EddyLoopAutoConfiguration.class, EddyExecutorsAutoConfiguration.class,
			EddyRunOnExecutorAutoConfiguration.class, EddyMetricsAutoConfiguration.class, EddyHealthAutoConfiguration.class })
	static class AotApplication {

		@Bean(destroyMethod = "shutdown")
		ExecutorService beanPool() {
			return Executors.newFixedThreadPool(1, (runnable) -> new Thread(runnable, "bean-1"));
		}

		@Bean
		Calls calls(@Qualifier("beanPool") ExecutorService beanPool) {
			return new Calls();
		}

	}

	/** One method per resolution step and return type. */
	public static class Calls {

		final CountDownLatch voidRan = new CountDownLatch(1);

		final AtomicReference<String> voidThread = new AtomicReference<>();

		private final ExecutorService fieldPool = Executors.newSingleThreadExecutor((runnable) -> new Thread(runnable, "field-1"));

		private final ExecutorService getterPool = Executors.newSingleThreadExecutor((runnable) -> new Thread(runnable, "getter-1"));

		/** @return the thread the void method ran on, once it ran (through the proxy: its fields are the proxy's) */
		public String awaitVoid() throws InterruptedException {
			assertThat(this.voidRan.await(10, TimeUnit.SECONDS)).isTrue();
			return this.voidThread.get();
		}

		public ExecutorService getGetterPool() {
			return this.getterPool;
		}

		@RunOnExecutor("fieldPool")
		public CompletableFuture<String> onField() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor("getterPool")
		public CompletionStage<String> onGetter() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor("io")
		public Future<String> onNamed() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor("beanPool")
		public CompletableFuture<String> onBean() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor("${calls.executor}")
		public CompletableFuture<String> onPlaceholder() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor
		public CompletableFuture<String> onDefault() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor("io")
		public LoopFuture<String> loopFuture() {
			return LoopFuture.completed(Thread.currentThread().getName());
		}

		@RunOnExecutor("io")
		public void fireAndForget() {
			this.voidThread.set(Thread.currentThread().getName());
			this.voidRan.countDown();
		}

		@jakarta.annotation.PreDestroy
		void shutdown() {
			this.fieldPool.shutdown();
			this.getterPool.shutdown();
		}

	}

}
