package dev.eddy.autoconfigure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code Duration} a property or an {@link ExecutorSpec} accepts is kept exactly (a
 * sub-second one included) or saturates at about 292 years; none overflows, wraps or fails with
 * an exception that names nothing. Values that are refused are refused with the key, the value
 * and the rule (see {@code ExecutorSpecTests} and {@code BadInputCatalogueTests}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EddyDurationSettingsTests {

	/** About 2,700 years: longer than {@code Duration.toNanos()} can express. */
	private static final String HUGE = "1000000d";

	@Test
	@DisplayName("a sub-second keep-alive is kept exactly, not truncated to whole seconds")
	void whenKeepAliveIsSubSecondShouldKeepItExactly() {
		EddyRunners.runner().withPropertyValues("eddy.executors.io.keep-alive=500ms", "eddy.executors.io.max-size=2")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				NamedExecutor io = context.getBean("io", NamedExecutor.class);
				assertThat(io.threadPool().getKeepAliveTime(TimeUnit.NANOSECONDS)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
				assertThat(io.spec().keepAlive()).isEqualTo(Duration.ofMillis(500));
			});
	}

	@Test
	@DisplayName("a keep-alive past Integer.MAX_VALUE seconds or past Long.MAX_VALUE nanoseconds saturates, not wraps")
	void whenKeepAliveIsHugeShouldSaturate() {
		EddyRunners.runner()
			.withPropertyValues("eddy.executors.io.keep-alive=" + HUGE, "eddy.executors.mid.keep-alive=" + (Integer.MAX_VALUE + 1L) + "s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("io", NamedExecutor.class).threadPool().getKeepAliveTime(TimeUnit.NANOSECONDS))
					.isEqualTo(Long.MAX_VALUE);
				assertThat(context.getBean("mid", NamedExecutor.class).threadPool().getKeepAliveTime(TimeUnit.SECONDS))
					.isEqualTo(Integer.MAX_VALUE + 1L);
			});
	}

	@Test
	@DisplayName("a huge await-termination starts, and the shutdown budget caps it")
	void whenAwaitTerminationIsHugeShouldStartAndClose() {
		long start = System.nanoTime();
		EddyRunners.runner().withPropertyValues("eddy.executors.io.await-termination=" + HUGE).run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean("io", NamedExecutor.class).execute(() -> {
			});
		});
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
	}

	@Test
	@DisplayName("huge loop thresholds and drain timeout saturate: the loop starts, runs work and closes")
	void whenLoopDurationsAreHugeShouldSaturate() {
		EddyRunners.runner()
			.withPropertyValues("eddy.loop.slow-callback-threshold=" + HUGE, "eddy.loop.blocked-threshold=" + HUGE,
					"eddy.loop.drain-timeout=" + HUGE, "eddy.loop.debug=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				EventLoop loop = context.getBean(EventLoop.class);
				assertThat(loop.submit(() -> {
					LoopFuture<String> ran = loop.newFuture();
					ran.setResult("ran");
					return ran;
				}).get(10, TimeUnit.SECONDS)).isEqualTo("ran");
			});
	}

	@Test
	@DisplayName("without Spring: a pool built from a spec with huge durations starts and closes promptly")
	void namedExecutor_hugeDurations_saturate() throws Exception {
		ExecutorSpec spec = ExecutorSpec.builder("huge")
			.keepAlive(Duration.ofDays(1_000_000))
			.awaitTermination(Duration.ofDays(1_000_000))
			.build();
		for (NamedExecutor executor : new NamedExecutor[] { NamedExecutor.create(spec),
				EddyExecutorsAutoConfiguration.build(spec, new ThreadPoolTaskExecutorBuilder()) }) {
			assertThat(executor.threadPool().getKeepAliveTime(TimeUnit.NANOSECONDS)).isEqualTo(Long.MAX_VALUE);
			java.util.concurrent.CompletableFuture<String> ran = new java.util.concurrent.CompletableFuture<>();
			executor.execute(() -> ran.complete("ran"));
			assertThat(ran.get(10, TimeUnit.SECONDS)).isEqualTo("ran");
			long start = System.nanoTime();
			executor.close();
			assertThat(executor.isTerminated()).isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		}
	}

	@Test
	@DisplayName("without Spring: a sub-second keep-alive given to Spring's builder path stays exact")
	void build_subSecondKeepAlive_staysExact() {
		ExecutorSpec spec = ExecutorSpec.builder("quick").keepAlive(Duration.ofMillis(250)).build();
		NamedExecutor executor = EddyExecutorsAutoConfiguration.build(spec, new ThreadPoolTaskExecutorBuilder());
		try {
			assertThat(executor.threadPool().getKeepAliveTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
		}
		finally {
			executor.close();
		}
	}

}
