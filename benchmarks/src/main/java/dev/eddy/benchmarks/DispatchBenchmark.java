package dev.eddy.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.eddy.autoconfigure.EddyExecutorsAutoConfiguration;
import dev.eddy.autoconfigure.EddyLoopAutoConfiguration;
import dev.eddy.autoconfigure.EddyRunOnExecutorAutoConfiguration;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.executor.NamedExecutor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Issue item 7: calling a method on a pool and waiting for its {@code CompletableFuture}, from
 * the JMH thread, all on Eddy's default named executor {@code executor} (8 platform threads,
 * bounded queue) in one Spring Boot context (Eddy's auto-configurations, Boot's
 * {@code AopAutoConfiguration} and {@code TaskExecutionAutoConfiguration}, {@code @EnableAsync}).
 * <ul>
 * <li>{@code call_runOnExecutor}: a proxied {@code @RunOnExecutor} bean method returning
 * {@code CompletableFuture}, then {@code join()}.</li>
 * <li>{@code call_springAsync}: the same body as a proxied {@code @Async("executor")} method.</li>
 * <li>{@code call_supplyAsync}: {@code CompletableFuture.supplyAsync(fn, executor).join()} on the
 * same {@code NamedExecutor}.</li>
 * <li>{@code call_submitGet}: {@code submit(callable).get()} on the same executor's
 * {@code ThreadPoolExecutor} ({@code NamedExecutor} is not an {@code ExecutorService}).</li>
 * <li>{@code callInline_runOnExecutor} and {@code callInline_springAsync}: the same two proxies on an
 * executor bean {@code inline} that runs each task on the calling thread, so that B/op is the
 * proxy, advice and dispatch path alone, without the pool's parking and unparking (which moves
 * the figures above by tens of bytes from run to run).</li>
 * </ul>
 * SampleTime, so p50 is reported; B/op from {@code -prof gc} counts every thread's allocation
 * (pool threads included) per call. Each returned {@code CompletableFuture} is completed on a
 * pool thread and joined here, so it escapes as in real use. Targets: {@code @RunOnExecutor}
 * allocates no more per call than {@code @Async}, and its p50 is no higher than {@code @Async}'s.
 * <p>Command: {@code java -jar benchmarks/target/benchmarks.jar DispatchBenchmark -f 3 -wi 2 -w 1s -i 3 -r 1s -prof gc}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class DispatchBenchmark {

	private ConfigurableApplicationContext context;

	private EddyService eddy;

	private AsyncService async;

	private InlineEddyService inlineEddy;

	private InlineAsyncService inlineAsync;

	private NamedExecutor executor;

	private ThreadPoolExecutor pool;

	private int argument = 41;

	private Supplier<Integer> body;

	@Setup(Level.Trial)
	public void setUp() {
		this.context = new SpringApplicationBuilder(DispatchConfiguration.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.main.log-startup-info=false")
			.run();
		this.eddy = this.context.getBean(EddyService.class);
		this.async = this.context.getBean(AsyncService.class);
		this.inlineEddy = this.context.getBean(InlineEddyService.class);
		this.inlineAsync = this.context.getBean(InlineAsyncService.class);
		this.executor = this.context.getBean("executor", NamedExecutor.class);
		this.pool = this.executor.threadPool();
		this.body = () -> this.argument + 1;
		if (this.eddy.work(1).join() != 2 || this.async.work(1).join() != 2 || this.inlineEddy.work(1).join() != 2
				|| this.inlineAsync.work(1).join() != 2) {
			throw new IllegalStateException("proxies did not run the bodies");
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.context.close();
	}

	@Benchmark
	public Integer call_runOnExecutor() {
		return this.eddy.work(this.argument).join();
	}

	@Benchmark
	public Integer call_springAsync() {
		return this.async.work(this.argument).join();
	}

	@Benchmark
	public Integer callInline_runOnExecutor() {
		return this.inlineEddy.work(this.argument).join();
	}

	@Benchmark
	public Integer callInline_springAsync() {
		return this.inlineAsync.work(this.argument).join();
	}

	@Benchmark
	public Integer call_supplyAsync() {
		return CompletableFuture.supplyAsync(this.body, this.executor).join();
	}

	@Benchmark
	public Integer call_submitGet() throws InterruptedException, ExecutionException {
		return this.pool.submit(this.body::get).get();
	}

	/** The context: only what the dispatch paths need. */
	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	@ImportAutoConfiguration({ AopAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
			EddyLoopAutoConfiguration.class, EddyExecutorsAutoConfiguration.class,
			EddyRunOnExecutorAutoConfiguration.class })
	public static class DispatchConfiguration {

		@Bean
		EddyService eddyService() {
			return new EddyService();
		}

		@Bean
		AsyncService asyncService() {
			return new AsyncService();
		}

		@Bean
		InlineEddyService inlineEddyService() {
			return new InlineEddyService();
		}

		@Bean
		InlineAsyncService inlineAsyncService() {
			return new InlineAsyncService();
		}

		/** Runs each task on the calling thread; not a default Executor candidate, so Boot's task executor stays. */
		@Bean(defaultCandidate = false)
		Executor inline() {
			return Runnable::run;
		}

	}

	/** The {@code @RunOnExecutor} bean. */
	public static class EddyService {

		@RunOnExecutor("executor")
		public CompletableFuture<Integer> work(int x) {
			return CompletableFuture.completedFuture(x + 1);
		}

	}

	/** The {@code @RunOnExecutor} bean on the {@code inline} executor. */
	public static class InlineEddyService {

		@RunOnExecutor("inline")
		public CompletableFuture<Integer> work(int x) {
			return CompletableFuture.completedFuture(x + 1);
		}

	}

	/** The {@code @Async} bean on the {@code inline} executor. */
	public static class InlineAsyncService {

		@Async("inline")
		public CompletableFuture<Integer> work(int x) {
			return CompletableFuture.completedFuture(x + 1);
		}

	}

	/** The {@code @Async} bean, on the same executor. */
	public static class AsyncService {

		@Async("executor")
		public CompletableFuture<Integer> work(int x) {
			return CompletableFuture.completedFuture(x + 1);
		}

	}

}
