package dev.eddy.executor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * The registry of named executors without Spring: the default executor is always there, names
 * are unique, lookups name the fix, Eddy's executors come first, and close shuts down only what
 * Eddy built, in parallel.
 */
@Timeout(30)
class NamedExecutorsTests {

	@Test
	void create_addsTheDefaultExecutorWhenNoSpecNamesIt() {
		try (NamedExecutors executors = NamedExecutors.create(List.of(ExecutorSpec.defaults("io")))) {
			assertThat(executors.names()).containsExactly(NamedExecutors.DEFAULT, "io");
			assertThat(executors.managed().get(NamedExecutors.DEFAULT).spec()).isEqualTo(ExecutorSpec.defaults("executor"));
			assertThat(executors.get("io")).isSameAs(executors.managed().get("io"));
			assertThat(executors).hasToString("NamedExecutors[executor, io]");
		}
	}

	@Test
	void create_usesASpecNamedLikeTheDefault() {
		ExecutorSpec own = ExecutorSpec.builder(NamedExecutors.DEFAULT).maxSize(3).build();
		try (NamedExecutors executors = NamedExecutors.create(List.of(own))) {
			assertThat(executors.names()).containsExactly(NamedExecutors.DEFAULT);
			assertThat(executors.managed().get(NamedExecutors.DEFAULT).spec()).isEqualTo(own);
		}
	}

	@Test
	void create_twoSpecsWithOneName_throwsNamingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NamedExecutors.create(List.of(ExecutorSpec.defaults("io"), ExecutorSpec.builder("io").maxSize(2).build())))
			.withMessage("Two executors are named 'io'");
	}

	@Test
	void of_twoManagedExecutorsWithOneName_throwsNamingIt() {
		NamedExecutor first = NamedExecutor.create(ExecutorSpec.defaults("io"));
		NamedExecutor second = NamedExecutor.create(ExecutorSpec.defaults("io"));
		try {
			assertThatIllegalArgumentException().isThrownBy(() -> NamedExecutors.of(List.of(first, second), Map.of()))
				.withMessage("Two executors are named 'io'");
		}
		finally {
			first.close();
			second.close();
		}
	}

	@Test
	void of_aNameBothBuiltAndSupplied_throwsNamingIt() {
		NamedExecutor built = NamedExecutor.create(ExecutorSpec.defaults("io"));
		try {
			Executor supplied = Runnable::run;
			assertThatIllegalArgumentException().isThrownBy(() -> NamedExecutors.of(List.of(built), Map.of("io", supplied)))
				.withMessage("Executor 'io' is both built by Eddy and supplied by the application");
		}
		finally {
			built.close();
		}
	}

	@Test
	void get_unknownName_throwsListingTheKnownOnesAndTheFix() {
		try (NamedExecutors executors = NamedExecutors.create(List.of(ExecutorSpec.defaults("io")))) {
			assertThatIllegalArgumentException().isThrownBy(() -> executors.get("cpu"))
				.withMessage("No executor named 'cpu'; known: [executor, io]; configure eddy.executors.cpu.* (for example "
						+ "eddy.executors.cpu.max-size=8) or define an Executor bean named 'cpu'");
			assertThat(executors.find("cpu")).isNull();
			assertThatNullPointerException().isThrownBy(() -> executors.find(null)).withMessage("name");
		}
	}

	@Test
	void suppliedExecutors_areFoundAfterEddysAndAreNotClosed() throws Exception {
		NamedExecutor built = NamedExecutor.create(ExecutorSpec.defaults("io"));
		NamedExecutor application = NamedExecutor.create(ExecutorSpec.defaults("app"));
		try {
			NamedExecutors executors = NamedExecutors.of(List.of(built), Map.of("app", application));
			assertThat(executors.names()).containsExactly("io", "app");
			assertThat(executors.get("app")).isSameAs(application);
			assertThat(executors.managed()).containsOnlyKeys("io");
			executors.close();
			assertThat(built.isShutdown()).isTrue();
			assertThat(application.isShutdown()).as("the application shuts its own executor down").isFalse();
		}
		finally {
			application.close();
		}
	}

	@Test
	void close_shutsEveryManagedExecutorDownInParallel() throws Exception {
		Duration await = Duration.ofMillis(600);
		CountDownLatch release = new CountDownLatch(1);
		NamedExecutor first = NamedExecutor.create(ExecutorSpec.builder("a").awaitTermination(await).build());
		NamedExecutor second = NamedExecutor.create(ExecutorSpec.builder("b").awaitTermination(await).build());
		CompletableFuture<Void> started = new CompletableFuture<>();
		Runnable blocked = () -> {
			started.complete(null);
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
		first.execute(blocked);
		second.execute(blocked);
		started.get(10, TimeUnit.SECONDS);
		NamedExecutors executors = NamedExecutors.of(List.of(first, second), Map.of());
		long begin = System.nanoTime();
		executors.close();
		long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
		release.countDown();
		assertThat(first.isShutdown()).isTrue();
		assertThat(second.isShutdown()).isTrue();
		assertThat(tookMillis).as("both awaited at once, not one after the other").isBetween(await.toMillis(), 2 * await.toMillis() - 50);
	}

	@Test
	void close_keepsTheCallersInterrupt() {
		try (NamedExecutors executors = NamedExecutors.create(List.of())) {
			Thread.currentThread().interrupt();
			executors.close();
			assertThat(Thread.interrupted()).isTrue();
		}
	}

}
