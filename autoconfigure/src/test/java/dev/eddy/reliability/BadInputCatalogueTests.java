package dev.eddy.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.eddy.concurrent.ExcInfo;
import dev.eddy.concurrent.Futures;
import dev.eddy.concurrent.InvalidStateException;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.executor.ExecutorKind;
import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.InvalidExecutorSpecException;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.EventLoopClosedException;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every public entry point fed bad input: the documented exception type, a message that names the
 * thing and the fix (asserted exactly), and a system still usable afterwards. Properties are
 * checked through a context that fails to start: the root cause's message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputCatalogueTests {

	private static final Class<BindValidationException> BIND = BindValidationException.class;

	private static final Runnable NAMED = new Runnable() {

		@Override
		public void run() {
		}

		@Override
		public String toString() {
			return "named-callback";
		}

	};

	private static final java.util.concurrent.Callable<Integer> NAMED_TASK = new java.util.concurrent.Callable<>() {

		@Override
		public Integer call() {
			return 1;
		}

		@Override
		public String toString() {
			return "named-task";
		}

	};

	/** A loop that every case may use, and that must still run a callback after each. */
	private static EventLoop shared;

	@BeforeAll
	static void startSharedLoop() {
		shared = EventLoop.create("catalogue");
	}

	@AfterAll
	static void closeSharedLoop() {
		shared.close();
	}

	@AfterEach
	void systemStillUsable() throws Exception {
		assertThat(CompletableFuture.supplyAsync(() -> "alive", shared::execute).get(5, TimeUnit.SECONDS)).isEqualTo("alive");
		assertThat(shared.<String>runSync(() -> LoopFuture.completed("ok"), Duration.ofSeconds(5))).isEqualTo("ok");
		assertThat(EventLoop.currentOrNull()).as("no loop left bound to the test thread").isNull();
		try (NamedExecutors executors = NamedExecutors.create(List.of())) {
			assertThat(shared.runSync(() -> shared.runInExecutor(executors.get("executor"), () -> 42), Duration.ofSeconds(5)))
				.isEqualTo(42);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("runtimeCases")
	void runtimeEntryPoint_badInput_documentedExceptionAndMessage(String name, ThrowingCallable call,
			Class<? extends Throwable> type, String message) {
		Throwable thrown = catchThrowable(call);
		assertThat(thrown).as(name).isInstanceOf(type);
		assertThat(thrown.getMessage().replaceAll("@[0-9a-f]+\\[", "@HASH[")).as(name).isEqualTo(message);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("propertyCases")
	void property_badValue_startupFailsNamingTheKey(String property, Class<? extends Throwable> type, String message) {
		ReliabilityFixture.runner().withUserConfiguration(UnknownExecutorConfig.class).withPropertyValues(property).run((context) -> {
			assertThat(context).as(property).hasFailed();
			Throwable root = rootCause(context.getStartupFailure());
			assertThat(root).as(property).isInstanceOf(type);
			String actual = (root instanceof BindValidationException invalid)
					? invalid.getValidationErrors().getAllErrors().get(0).getDefaultMessage() : root.getMessage();
			assertThat(actual).as(property).isEqualTo(message);
			if (!property.startsWith("catalogue.")) {
				assertThat(context.getStartupFailure()).as("the top-level failure names the prefix").hasMessageContaining("prefix=eddy");
			}
		});
	}

	static Stream<Arguments> runtimeCases() {
		return Stream.of(
				// ---- EventLoop / EventLoopBuilder: null, blank, zero and negative
				bad("EventLoop.create(null)", () -> EventLoop.create(null), NullPointerException.class, "name"),
				bad("EventLoop.create(blank)", () -> EventLoop.create(" "), IllegalArgumentException.class,
						"'name' must not be blank, was ' '"),
				bad("builder.slowCallbackThreshold(0)", () -> EventLoop.builder("x").slowCallbackThreshold(Duration.ZERO),
						IllegalArgumentException.class, "'slowCallbackThreshold' must be positive, was PT0S"),
				bad("builder.blockedThreshold(-1s)", () -> EventLoop.builder("x").blockedThreshold(Duration.ofSeconds(-1)),
						IllegalArgumentException.class, "'blockedThreshold' must be positive, was PT-1S"),
				bad("builder.drainTimeout(null)", () -> EventLoop.builder("x").drainTimeout(null), NullPointerException.class,
						"drainTimeout"),
				bad("builder.unobservedFailureDetector(null)", () -> EventLoop.builder("x").unobservedFailureDetector(null),
						NullPointerException.class, "detector"),
				bad("loop.callLater(-1 ms)", () -> shared.callLater(Duration.ofMillis(-1), () -> {
				}), IllegalArgumentException.class, "'delay' must not be negative, was PT-0.001S"),
				bad("loop.callLater(null)", () -> shared.callLater(null, () -> {
				}), NullPointerException.class, "delay"),
				bad("loop.execute(null)", () -> shared.execute(null), NullPointerException.class, "callback"),
				bad("loop.runInExecutor(null, task)", () -> shared.runInExecutor(null, () -> 1), NullPointerException.class,
						"executor"),
				bad("loop.runSync(supplier, null)", () -> shared.runSync(() -> LoopFuture.completed(1), null),
						NullPointerException.class, "timeout"),
				// ---- wrong thread
				bad("EventLoop.current() off every loop", EventLoop::current, IllegalStateException.class,
						"There is no current event loop in thread 'main'; run this on a loop thread (loop.execute(...)) or make one"
								+ " with EventLoop.onCurrentThread(name)"),
				bad("runOnce() on a loop with its own thread", shared::runOnce, IllegalStateException.class,
						"runOnce() is for loops made by EventLoop.onCurrentThread(name); EventLoop 'catalogue' runs on its own thread;"
								+ " hand it work with execute(...)"),
				bad("runOnce() from a thread that does not own the loop", BadInputCatalogueTests::runOnceFromOtherThread,
						IllegalStateException.class, "runOnce() on EventLoop 'owned' must be called by its owning thread 'catalogue-owner'"
								+ " but was called from thread 'main'"),
				bad("onCurrentThread twice on one thread", BadInputCatalogueTests::twoLoopsOnOneThread,
						IllegalStateException.class, "Thread 'catalogue-owner' already runs EventLoop 'own'; close it first or use EventLoop.current()"),
				bad("future.result() from another thread", () -> futureOfShared().result(), IllegalStateException.class,
						"LoopFuture[loop=catalogue](pending) is confined to loop 'catalogue' but was called from thread 'main'; hop with"
								+ " loop.execute(...) or use toCompletableFuture()"),
				bad("completed(v).addDoneCallback off every loop", () -> LoopFuture.completed(1).addDoneCallback((f) -> {
				}), IllegalStateException.class, "addDoneCallback on LoopFuture[completed](done: 1) needs a current loop to run the"
						+ " callback, but thread 'main' runs none; call it on a loop thread or use toCompletableFuture()"),
				// ---- completing twice, reading too early
				bad("setResult twice", () -> onOwnLoop((loop) -> {
					LoopFuture<String> future = loop.newFuture();
					future.setResult("first");
					future.setResult("second");
				}), InvalidStateException.class, "setResult on LoopFuture[loop=own](done: first): the future is already done and keeps"
						+ " its first outcome; check done() first, or use Futures.setResultUnlessCancelled/setExceptionUnlessCancelled"
						+ " when it may have been cancelled"),
				bad("setException after cancel", () -> onOwnLoop((loop) -> {
					LoopFuture<String> future = loop.newFuture();
					future.cancel();
					future.setException(new java.io.IOException("late"));
				}), InvalidStateException.class, "setException on LoopFuture[loop=own](cancelled): the future is already done and keeps"
						+ " its first outcome; check done() first, or use Futures.setResultUnlessCancelled/setExceptionUnlessCancelled"
						+ " when it may have been cancelled"),
				bad("result() while pending", () -> onOwnLoop((loop) -> loop.newFuture().result()), InvalidStateException.class,
						"Result is not set: LoopFuture[loop=own](pending); add a callback with addDoneCallback(...) or check done() first"),
				bad("setException(null)", () -> onOwnLoop((loop) -> loop.newFuture().setException(null)),
						NullPointerException.class, "exception"),
				// ---- blocking on the loop thread
				bad("runSync from the loop's own thread", () -> onShared(() -> shared.runSync(() -> LoopFuture.completed(1),
						Duration.ofSeconds(1))), IllegalStateException.class,
						"runSync called on the thread of EventLoop 'catalogue', which it would block forever (deadlock); chain with"
								+ " addDoneCallback(...) or Futures instead of blocking a loop thread"),
				bad("toCompletableFuture().get() on the loop thread while pending",
						() -> onShared(() -> shared.<String>newFuture().toCompletableFuture().get()), IllegalStateException.class,
						"get() on CompletableFuture[source=catalogue](pending) from the thread of EventLoop 'catalogue', which must complete"
								+ " it, would deadlock; use thenAccept/whenComplete or the LoopFuture instead"),
				// ---- work after close
				bad("execute after close", () -> closedLoop().execute(NAMED), EventLoopClosedException.class,
						"EventLoop 'closed' is closed and rejected callback named-callback; submit work before close(), or to a loop that is running"),
				bad("runInExecutor after close", () -> closedLoop().runInExecutor(Runnable::run, NAMED_TASK),
						EventLoopClosedException.class,
						"EventLoop 'closed' is closed and rejected callback named-task; submit work before close(), or to a loop that is running"),
				bad("callLater after close", () -> closedLoop().callLater(Duration.ZERO, NAMED), EventLoopClosedException.class,
						"EventLoop 'closed' is closed and rejected callback named-callback; submit work before close(), or to a loop that is running"),
				bad("NamedExecutor.execute after close", BadInputCatalogueTests::executeOnClosedExecutor,
						RejectedExecutionException.class, "Executor 'closed' is shut down and accepts no new tasks"),
				// ---- Futures
				bad("Futures.of(null)", () -> Futures.of(null), NullPointerException.class, "defaultLoop"),
				bad("Futures.setExcInfo(f, no exception)",
						() -> Futures.of(shared).setExcInfo(new CompletableFuture<>(), new ExcInfo(RuntimeException.class, null,
								List.of())), IllegalArgumentException.class, "setExcInfo called with no exception"),
				bad("Futures.fromCallback(start, null)", () -> Futures.of(shared).fromCallback((cb) -> {
				}, null), NullPointerException.class, "timeout"),
				bad("Futures.fromCallback(start, 0)", () -> Futures.of(shared).fromCallback((cb) -> {
				}, Duration.ZERO), IllegalArgumentException.class, "'timeout' must be positive, was PT0S"),
				bad("Futures.setResultUnlessCancelled on a done CompletableFuture",
						() -> Futures.of(shared).setResultUnlessCancelled(CompletableFuture.completedFuture("a"), "b"),
						InvalidStateException.class, "setResultUnlessCancelled on java.util.concurrent.CompletableFuture@HASH[Completed normally]:"
								+ " the future is already completed and keeps its first outcome; check isDone() first"),
				// ---- ExecutorSpec
				bad("ExecutorSpec name with a space", () -> ExecutorSpec.builder("bad name"), InvalidExecutorSpecException.class,
						"Executor name 'bad name' must be non-empty and made of letters, digits, '-' and '_' (it becomes a bean name)"),
				bad("ExecutorSpec queue-capacity 0", () -> ExecutorSpec.builder("io").queueCapacity(0).build(),
						InvalidExecutorSpecException.class, "'eddy.executors.io.queue-capacity' must be positive, was 0"),
				bad("ExecutorSpec max-size -1", () -> ExecutorSpec.builder("io").maxSize(-1).build(),
						InvalidExecutorSpecException.class, "'eddy.executors.io.max-size' must be positive, was -1"),
				bad("ExecutorSpec core-size over max-size", () -> ExecutorSpec.builder("io").coreSize(9).maxSize(8).build(),
						InvalidExecutorSpecException.class, "'eddy.executors.io.core-size' (9) must not exceed 'eddy.executors.io.max-size' (8)"),
				bad("ExecutorSpec keep-alive 0", () -> ExecutorSpec.builder("io").keepAlive(Duration.ZERO).build(),
						InvalidExecutorSpecException.class, "'eddy.executors.io.keep-alive' must be positive, was PT0S"),
				bad("ExecutorSpec await-termination -1s",
						() -> ExecutorSpec.builder("io").awaitTermination(Duration.ofSeconds(-1)).build(),
						InvalidExecutorSpecException.class, "'eddy.executors.io.await-termination' must not be negative, was PT-1S"),
				bad("ExecutorSpec virtual with core-size",
						() -> ExecutorSpec.builder("io").kind(ExecutorKind.VIRTUAL).coreSize(2).build(),
						InvalidExecutorSpecException.class, "'eddy.executors.io.core-size' does not apply to kind=virtual; remove it"
								+ " (a virtual executor takes max-size, queue-capacity, thread-name-prefix and await-termination)"),
				bad("ExecutorSpec blank thread-name-prefix", () -> ExecutorSpec.builder("io").threadNamePrefix(" ").build(),
						InvalidExecutorSpecException.class, "'eddy.executors.io.thread-name-prefix' must not be blank, was ' '"),
				// ---- NamedExecutors
				bad("NamedExecutors.get(unknown)", () -> {
					try (NamedExecutors executors = NamedExecutors.create(List.of())) {
						executors.get("nope");
					}
				}, IllegalArgumentException.class, "No executor named 'nope'; known: [executor]; configure eddy.executors.nope.*"
						+ " (for example eddy.executors.nope.max-size=8) or define an Executor bean named 'nope'"),
				bad("NamedExecutors.get(null)", () -> {
					try (NamedExecutors executors = NamedExecutors.create(List.of())) {
						executors.get(null);
					}
				}, NullPointerException.class, "name"),
				bad("NamedExecutor.create(null)", () -> NamedExecutor.create(null), NullPointerException.class, "spec"),
				// ---- UnobservedFailureDetector
				bad("detector maxTracked 0", () -> UnobservedFailureDetector.builder().maxTracked(0),
						IllegalArgumentException.class, "'maxTracked' must be positive, was 0"),
				bad("detector level null", () -> UnobservedFailureDetector.builder().level(null), NullPointerException.class,
						"level"),
				bad("detector listener null", () -> UnobservedFailureDetector.builder().listener(null),
						NullPointerException.class, "listener"));
	}

	static Stream<Arguments> propertyCases() {
		// kind=virtual is bad input only before Java 21; from 21 on it runs (EddyPropertiesBindingTests checks both).
		Stream<Arguments> versionDependent = (Runtime.version().feature() < 21)
				? Stream.of(Arguments.of("eddy.executors.io.kind=virtual", BIND, "'eddy.executors.io.kind' is virtual, which needs"
						+ " Java 21 or later, but this JVM is " + Runtime.version()
						+ "; run on Java 21+ or set 'eddy.executors.io.kind=platform'"))
				: Stream.empty();
		return Stream.concat(versionDependent, Stream.of(
				Arguments.of("eddy.executors.io.queue-capacity=0", BIND, "'eddy.executors.io.queue-capacity' must be positive, was 0"),
				Arguments.of("eddy.executors.io.max-size=-1", BIND, "'eddy.executors.io.max-size' must be positive, was -1"),
				Arguments.of("eddy.executors.io.keep-alive=0s", BIND, "'eddy.executors.io.keep-alive' must be positive, was PT0S"),
				Arguments.of("eddy.executors.io.await-termination=-1s", BIND,
						"'eddy.executors.io.await-termination' must not be negative, was PT-1S"),
				Arguments.of("eddy.executors.[bad name].max-size=2", BIND,
						"Executor name 'bad name' must be non-empty and made of letters, digits, '-' and '_' (it becomes a bean name)"),
				Arguments.of("eddy.loop.blocked-threshold=0s", BIND, "'eddy.loop.blocked-threshold' must be positive, was PT0S"),
				Arguments.of("eddy.loop.slow-callback-threshold=-1ms", BIND,
						"'eddy.loop.slow-callback-threshold' must be positive, was PT-0.001S"),
				Arguments.of("eddy.loop.drain-timeout=0s", BIND, "'eddy.loop.drain-timeout' must be positive, was PT0S"),
				Arguments.of("eddy.loop.name= ", BIND, "'eddy.loop.name' must not be blank"),
				Arguments.of("eddy.loop.queue-capacity=0", BIND, "'eddy.loop.queue-capacity' must be positive, was 0"),
				Arguments.of("eddy.unobserved.max-tracked=0", BIND, "'eddy.unobserved.max-tracked' must be positive, was 0"),
				// Conversion failures: the root message is the JDK's and names neither key nor values; Spring Boot's
				// BindFailureAnalyzer shows the key and the possible values to the user (see docs/reliability.md).
				Arguments.of("eddy.executors.io.rejection-policy=discard", IllegalArgumentException.class,
						"No enum constant dev.eddy.executor.RejectionPolicy.discard"),
				Arguments.of("eddy.unobserved.level=LOUD", IllegalArgumentException.class,
						"No enum constant dev.eddy.unobserved.UnobservedFailureDetector.Level.LOUD"),
				Arguments.of("eddy.run-on-executor.enabled=maybe", IllegalArgumentException.class, "Invalid boolean value 'maybe'"),
				// no eddy property at all: a @RunOnExecutor naming an executor nobody configured
				Arguments.of("catalogue.unknown-executor=true", IllegalStateException.class,
						"BadInputCatalogueTests.UnknownExecutorUser#work runs on executor 'nope', but no executor has that name; known"
								+ " executors: [executor]. Action: Configure it with eddy.executors.nope.* (for example"
								+ " eddy.executors.nope.max-size=8), define an Executor bean named 'nope', or give"
								+ " BadInputCatalogueTests.UnknownExecutorUser a field or getter 'nope' of type Executor.")));
	}

	private static Arguments bad(String name, ThrowingCallable call, Class<? extends Throwable> type, String message) {
		return Arguments.of(name, call, type, message);
	}

	// ------------------------------------------------------------------ fixtures of single cases

	interface LoopWork {

		void run(EventLoop loop) throws Exception;

	}

	/** Runs {@code work} on a fresh {@code onCurrentThread} loop of a helper thread; rethrows what it threw. */
	private static void onOwnLoop(LoopWork work) throws Throwable {
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		Thread thread = new Thread(() -> {
			EventLoop loop = EventLoop.onCurrentThread("own");
			try {
				work.run(loop);
			}
			catch (Throwable ex) {
				thrown.set(ex);
			}
			finally {
				loop.close();
			}
		}, "catalogue-owner");
		thread.start();
		thread.join(10_000);
		if (thrown.get() != null) {
			throw thrown.get();
		}
	}

	interface Work {

		Object call() throws Exception;

	}

	/** Runs {@code work} on the shared loop's thread and rethrows what it threw there. */
	private static void onShared(Work work) throws Throwable {
		CompletableFuture<Object> result = new CompletableFuture<>();
		shared.execute(() -> {
			try {
				result.complete(work.call());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		});
		try {
			result.get(10, TimeUnit.SECONDS);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw ex.getCause();
		}
	}

	private static LoopFuture<String> futureOfShared() throws Exception {
		return CompletableFuture.supplyAsync(() -> shared.<String>newFuture(), shared::execute).get(5, TimeUnit.SECONDS);
	}

	private static void runOnceFromOtherThread() throws Throwable {
		AtomicReference<EventLoop> loop = new AtomicReference<>();
		Thread owner = new Thread(() -> loop.set(EventLoop.onCurrentThread("owned")), "catalogue-owner");
		owner.start();
		owner.join(5_000);
		try {
			loop.get().runOnce();
		}
		finally {
			loop.get().close();
		}
	}

	private static void twoLoopsOnOneThread() throws Throwable {
		onOwnLoop((loop) -> EventLoop.onCurrentThread("second"));
	}

	private static EventLoop closedLoop() {
		EventLoop loop = EventLoop.create("closed");
		loop.close();
		return loop;
	}

	private static void executeOnClosedExecutor() {
		NamedExecutor executor = NamedExecutor.create(ExecutorSpec.defaults("closed"));
		executor.close();
		executor.execute(() -> {
		});
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root;
	}

	public static class UnknownExecutorUser {

		@RunOnExecutor("nope")
		public CompletableFuture<String> work() {
			return CompletableFuture.completedFuture("never");
		}

	}

	/** Adds a bean whose {@code @RunOnExecutor} names no executor, but only when the property asks for it. */
	@Configuration(proxyBeanMethods = false)
	@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "catalogue.unknown-executor", havingValue = "true")
	static class UnknownExecutorConfig {

		@Bean
		UnknownExecutorUser unknownExecutorUser() {
			return new UnknownExecutorUser();
		}

	}

}
