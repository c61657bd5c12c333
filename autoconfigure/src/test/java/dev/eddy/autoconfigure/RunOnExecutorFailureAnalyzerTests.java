package dev.eddy.autoconfigure;

import java.util.concurrent.CompletableFuture;

import dev.eddy.aop.RunOnExecutorConfigurationException;
import dev.eddy.concurrent.RunOnExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @RunOnExecutor} method that cannot run as declared fails startup, and the failure
 * analyzer names {@code Class#method}, what it found, and the fix.
 */
@Timeout(60)
class RunOnExecutorFailureAnalyzerTests {

	private static final String OWNER = "RunOnExecutorFailureAnalyzerTests.";

	@Test
	void whenTheExecutorNameIsUnknownShouldFailNamingTheMethodAndTheFix() {
		run(EddyRunners.runner(), UnknownExecutor.class, (analysis) -> {
			assertThat(analysis.getDescription()).isEqualTo(OWNER + "UnknownExecutor#run runs on executor 'nope', but no executor"
					+ " has that name; known executors: [executor].");
			assertThat(analysis.getAction()).isEqualTo("Configure it with eddy.executors.nope.* (for example"
					+ " eddy.executors.nope.max-size=8), define an Executor bean named 'nope', or give " + OWNER
					+ "UnknownExecutor a field or getter 'nope' of type Executor.");
		});
	}

	@Test
	void whenTheReturnTypeIsUnsupportedShouldFailNamingTheMethodAndTheFix() {
		run(EddyRunners.runner(), StringReturn.class, (analysis) -> {
			assertThat(analysis.getDescription()).isEqualTo(OWNER + "StringReturn#run is @RunOnExecutor but returns"
					+ " java.lang.String, which cannot carry an outcome produced on another thread.");
			assertThat(analysis.getAction())
				.isEqualTo("Declare it to return void, LoopFuture<T>, CompletableFuture<T>, CompletionStage<T> or Future<T>.");
		});
	}

	@Test
	void whenTheMethodIsFinalShouldFailNamingTheMethodAndTheFix() {
		run(EddyRunners.runner(), FinalMethod.class, (analysis) -> {
			assertThat(analysis.getDescription()).isEqualTo(OWNER + "FinalMethod#run is @RunOnExecutor but final, so Spring's"
					+ " proxy cannot intercept it and it would run on the caller's thread.");
			assertThat(analysis.getAction())
				.isEqualTo("Make " + OWNER + "FinalMethod#run public (or protected) and neither final nor static.");
		});
	}

	@Test
	void whenTheMethodIsPrivateShouldFailNamingTheMethodAndTheFix() {
		run(EddyRunners.runner(), PrivateMethod.class, (analysis) -> {
			assertThat(analysis.getDescription()).isEqualTo(OWNER + "PrivateMethod#run is @RunOnExecutor but private, so"
					+ " Spring's proxy cannot intercept it and it would run on the caller's thread.");
			assertThat(analysis.getAction())
				.isEqualTo("Make " + OWNER + "PrivateMethod#run public (or protected) and neither final nor static.");
		});
	}

	@Test
	void whenValueAndExecutorDifferShouldFailNamingTheMethodAndTheFix() {
		run(EddyRunners.runner(), TwoNames.class, (analysis) -> {
			assertThat(analysis.getDescription())
				.isEqualTo(OWNER + "TwoNames#run names two executors: value='a' and executor='b'.");
			assertThat(analysis.getAction())
				.isEqualTo("Keep one of @RunOnExecutor(value) and @RunOnExecutor(executor), or make them equal.");
		});
	}

	@Test
	void whenAspectJIsMissingShouldFailRatherThanRunOnTheCaller() {
		run(EddyRunners.runner().withClassLoader(new FilteredClassLoader("org.aspectj")), Valid.class,
				RunOnExecutorFailureAnalyzerTests::assertAspectOff);
	}

	@Test
	void whenRunOnExecutorIsDisabledShouldFailRatherThanRunOnTheCaller() {
		run(EddyRunners.runner().withPropertyValues("eddy.run-on-executor.enabled=false"), Valid.class,
				RunOnExecutorFailureAnalyzerTests::assertAspectOff);
	}

	@Test
	void whenValueAndExecutorAreEqualShouldStart() {
		EddyRunners.runner().withUserConfiguration(SameNames.class).run((context) -> assertThat(context).hasNotFailed());
	}

	private static void assertAspectOff(FailureAnalysis analysis) {
		assertThat(analysis.getDescription()).isEqualTo(OWNER + "Valid#run is @RunOnExecutor, but the aspect that runs it is"
				+ " off, so it would run on the caller's thread.");
		assertThat(analysis.getAction()).contains("spring-boot-starter-aspectj").contains("eddy.run-on-executor.enabled");
	}

	private static void run(ApplicationContextRunner runner, Class<?> bean, java.util.function.Consumer<FailureAnalysis> check) {
		runner.withBean(bean).run((AssertableApplicationContext context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			FailureAnalysis analysis = new RunOnExecutorFailureAnalyzer().analyze(failure);
			assertThat(analysis).as("analysis of %s", failure).isNotNull();
			assertThat(analysis.getCause()).isInstanceOf(RunOnExecutorConfigurationException.class);
			assertThat(analysis.getDescription()).contains("#run");
			check.accept(analysis);
		});
	}

	public static class UnknownExecutor {

		@RunOnExecutor("nope")
		public CompletableFuture<String> run() {
			return CompletableFuture.completedFuture("never");
		}

	}

	public static class StringReturn {

		@RunOnExecutor
		public String run() {
			return "never";
		}

	}

	public static class FinalMethod {

		@RunOnExecutor
		public final CompletableFuture<String> run() {
			return CompletableFuture.completedFuture("never");
		}

	}

	public static class PrivateMethod {

		@RunOnExecutor
		private CompletableFuture<String> run() {
			return CompletableFuture.completedFuture("never");
		}

		public CompletableFuture<String> caller() {
			return run();
		}

	}

	public static class TwoNames {

		@RunOnExecutor(value = "a", executor = "b")
		public CompletableFuture<String> run() {
			return CompletableFuture.completedFuture("never");
		}

	}

	public static class SameNames {

		@RunOnExecutor(value = "executor", executor = "executor")
		public CompletableFuture<String> run() {
			return CompletableFuture.completedFuture("ok");
		}

	}

	public static class Valid {

		@RunOnExecutor
		public void run() {
		}

	}

}
