package dev.eddy.internal;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.eddy.testsupport.GarbageCollection.awaitReports;
import static dev.eddy.testsupport.GarbageCollection.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.awaitility.Awaitility.await;

/**
 * The {@code CompletableFuture}s Eddy hands out keep the JDK's contract (a subset of the JSR-166
 * TCK's {@code CompletableFutureTest}) and the observation rules of asyncio's "Future exception
 * was never retrieved" (GC-2..GC-5), for every public method of {@code CompletableFuture} on the
 * running JDK: {@link #RULES} names each one's rule, and a JDK that adds a method fails
 * {@link #everyPublicMethod_hasARule()} until it has one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EddyCompletableFutureTests {

	private static final Executor DIRECT = Runnable::run;

	private final ConcurrentLinkedQueue<UnobservedFailure> reports = new ConcurrentLinkedQueue<>();

	private UnobservedFailureDetector detector;

	@BeforeEach
	void setUp() {
		this.detector = UnobservedFailureDetector.builder().listener(this.reports::add).build();
	}

	@AfterEach
	void tearDown() {
		this.detector.close();
	}

	private EddyCompletableFuture<String> tracked() {
		return EddyCompletableFuture.tracked(null, this.detector, "contract", EddyCompletableFuture.labelFor("contract"));
	}

	private EddyCompletableFuture<String> failed(String message) {
		EddyCompletableFuture<String> future = tracked();
		future.completeExceptionally(new IOException(message));
		return future;
	}

	// ---------------------------------------------------------------- every public method

	/** What a call does to the duty to report the future's failure. */
	enum Rule {

		/** The call observes the failure (GC-3, GC-4): nothing is owed afterwards. */
		OBSERVES,

		/** The duty moves to the future the call returns (CH-8 for chaining). */
		MOVES_TO_DEPENDENT,

		/** The call does not observe (GC-5): the failure is still owed by this future. */
		KEEPS,

		/** The call completes the future; what is owed depends on what it completes with. */
		COMPLETES

	}

	/**
	 * A public method of {@code CompletableFuture}: its rule, whether Eddy overrides it, and a
	 * call to make on a tracked future, with the number of failures owed afterwards when the
	 * future had failed before the call ({@code before}) and when it fails after it
	 * ({@code after}; -1 where the call blocks or is itself the failing completion).
	 */
	record Case(String signature, Rule rule, boolean overridden, Function<EddyCompletableFuture<String>, Object> call,
			int before, int after, String why) {

		@Override
		public String toString() {
			return this.signature;
		}

	}

	private static final Map<String, Case> RULES = new LinkedHashMap<>();

	private static void rule(String signature, Rule rule, boolean overridden, int before, int after,
			Function<EddyCompletableFuture<String>, Object> call, String why) {
		RULES.put(signature, new Case(signature, rule, overridden, call, before, after, why));
	}

	static {
		String moves = "CH-8: the duty moves to the dependent, which is tracked in turn";
		String keeps = "GC-5: reading the state is not observing";
		String plumbing = "GC-5: the JDK registers a watch to cancel its timer; that is plumbing, not observing";
		// chaining: the dependent carries the failure
		for (String name : List.of("thenApply", "thenApplyAsync")) {
			boolean async = name.endsWith("Async");
			rule(name + "(Function)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
					(f) -> async ? f.thenApplyAsync((v) -> v) : f.thenApply((v) -> v), moves);
		}
		rule("thenApplyAsync(Function,Executor)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.thenApplyAsync((v) -> v, DIRECT), moves);
		rule("thenAccept(Consumer)", Rule.MOVES_TO_DEPENDENT, true, 1, 1, (f) -> f.thenAccept((v) -> {
		}), moves);
		rule("thenAcceptAsync(Consumer)", Rule.MOVES_TO_DEPENDENT, true, 1, 1, (f) -> f.thenAcceptAsync((v) -> {
		}), moves);
		rule("thenAcceptAsync(Consumer,Executor)", Rule.MOVES_TO_DEPENDENT, true, 1, 1, (f) -> f.thenAcceptAsync((v) -> {
		}, DIRECT), moves);
		rule("thenRun(Runnable)", Rule.MOVES_TO_DEPENDENT, true, 1, 1, (f) -> f.thenRun(() -> {
		}), moves);
		rule("thenRunAsync(Runnable)", Rule.MOVES_TO_DEPENDENT, true, 1, 1, (f) -> f.thenRunAsync(() -> {
		}), moves);
		rule("thenRunAsync(Runnable,Executor)", Rule.MOVES_TO_DEPENDENT, true, 1, 1, (f) -> f.thenRunAsync(() -> {
		}, DIRECT), moves);
		rule("thenCompose(Function)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.thenCompose(CompletableFuture::completedFuture), moves);
		rule("thenComposeAsync(Function)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.thenComposeAsync(CompletableFuture::completedFuture), moves);
		rule("thenComposeAsync(Function,Executor)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.thenComposeAsync(CompletableFuture::completedFuture, DIRECT), moves);
		CompletableFuture<String> done = CompletableFuture.completedFuture("other");
		rule("thenCombine(CompletionStage,BiFunction)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.thenCombine(done, (a, b) -> a), moves);
		rule("thenCombineAsync(CompletionStage,BiFunction)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.thenCombineAsync(done, (a, b) -> a), moves);
		rule("thenCombineAsync(CompletionStage,BiFunction,Executor)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.thenCombineAsync(done, (a, b) -> a, DIRECT), moves);
		rule("thenAcceptBoth(CompletionStage,BiConsumer)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.thenAcceptBoth(done, (a, b) -> {
				}), moves);
		rule("thenAcceptBothAsync(CompletionStage,BiConsumer)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.thenAcceptBothAsync(done, (a, b) -> {
				}), moves);
		rule("thenAcceptBothAsync(CompletionStage,BiConsumer,Executor)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.thenAcceptBothAsync(done, (a, b) -> {
				}, DIRECT), moves);
		rule("runAfterBoth(CompletionStage,Runnable)", Rule.MOVES_TO_DEPENDENT, true, 1, 1, (f) -> f.runAfterBoth(done, () -> {
		}), moves);
		rule("runAfterBothAsync(CompletionStage,Runnable)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.runAfterBothAsync(done, () -> {
				}), moves);
		rule("runAfterBothAsync(CompletionStage,Runnable,Executor)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.runAfterBothAsync(done, () -> {
				}, DIRECT), moves);
		// either: the other never completes, so the dependent gets this future's failure
		rule("applyToEither(CompletionStage,Function)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.applyToEither(new CompletableFuture<>(), (v) -> v), moves);
		rule("applyToEitherAsync(CompletionStage,Function)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.applyToEitherAsync(new CompletableFuture<>(), (v) -> v), moves);
		rule("applyToEitherAsync(CompletionStage,Function,Executor)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.applyToEitherAsync(new CompletableFuture<>(), (v) -> v, DIRECT), moves);
		rule("acceptEither(CompletionStage,Consumer)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.acceptEither(new CompletableFuture<>(), (v) -> {
				}), moves);
		rule("acceptEitherAsync(CompletionStage,Consumer)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.acceptEitherAsync(new CompletableFuture<>(), (v) -> {
				}), moves);
		rule("acceptEitherAsync(CompletionStage,Consumer,Executor)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.acceptEitherAsync(new CompletableFuture<>(), (v) -> {
				}, DIRECT), moves);
		rule("runAfterEither(CompletionStage,Runnable)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.runAfterEither(new CompletableFuture<>(), () -> {
				}), moves);
		rule("runAfterEitherAsync(CompletionStage,Runnable)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.runAfterEitherAsync(new CompletableFuture<>(), () -> {
				}), moves);
		rule("runAfterEitherAsync(CompletionStage,Runnable,Executor)", Rule.MOVES_TO_DEPENDENT, true, 1, 1,
				(f) -> f.runAfterEitherAsync(new CompletableFuture<>(), () -> {
				}, DIRECT), moves);
		rule("copy()", Rule.MOVES_TO_DEPENDENT, true, 1, 1, CompletableFuture::copy, moves);
		rule("minimalCompletionStage()", Rule.MOVES_TO_DEPENDENT, true, 1, 1, CompletableFuture::minimalCompletionStage,
				moves + "; the minimal stage is Eddy's, tracked");
		// observing registrations: the action sees the failure
		String sees = "GC-3: the action is handed the failure";
		rule("handle(BiFunction)", Rule.OBSERVES, true, 0, 0, (f) -> f.handle((v, t) -> "handled"), sees);
		rule("handleAsync(BiFunction)", Rule.OBSERVES, true, 0, 0, (f) -> f.handleAsync((v, t) -> "handled"), sees);
		rule("handleAsync(BiFunction,Executor)", Rule.OBSERVES, true, 0, 0,
				(f) -> f.handleAsync((v, t) -> "handled", DIRECT), sees);
		rule("whenComplete(BiConsumer)", Rule.OBSERVES, true, 0, 0, (f) -> f.whenComplete((v, t) -> {
		}), sees + "; the dependent failing with that very exception is observed too");
		rule("whenCompleteAsync(BiConsumer)", Rule.OBSERVES, true, 0, 0, (f) -> f.whenCompleteAsync((v, t) -> {
		}), sees);
		rule("whenCompleteAsync(BiConsumer,Executor)", Rule.OBSERVES, true, 0, 0, (f) -> f.whenCompleteAsync((v, t) -> {
		}, DIRECT), sees);
		rule("exceptionally(Function)", Rule.OBSERVES, true, 0, 0, (f) -> f.exceptionally((t) -> "recovered"), sees);
		rule("exceptionallyAsync(Function)", Rule.OBSERVES, true, 0, 0, (f) -> f.exceptionallyAsync((t) -> "recovered"),
				sees);
		rule("exceptionallyAsync(Function,Executor)", Rule.OBSERVES, true, 0, 0,
				(f) -> f.exceptionallyAsync((t) -> "recovered", DIRECT), sees);
		rule("exceptionallyCompose(Function)", Rule.OBSERVES, true, 0, 0,
				(f) -> f.exceptionallyCompose((t) -> CompletableFuture.completedFuture("recovered")), sees);
		rule("exceptionallyComposeAsync(Function)", Rule.OBSERVES, true, 0, 0,
				(f) -> f.exceptionallyComposeAsync((t) -> CompletableFuture.completedFuture("recovered")), sees);
		rule("exceptionallyComposeAsync(Function,Executor)", Rule.OBSERVES, true, 0, 0,
				(f) -> f.exceptionallyComposeAsync((t) -> CompletableFuture.completedFuture("recovered"), DIRECT), sees);
		// reads: observe when they deliver the failure (GC-3); before it, they do not (GC-5)
		String reads = "GC-3 on the failed future; GC-5 before the failure";
		rule("get()", Rule.OBSERVES, true, 0, -1, (f) -> swallow(f::get), reads);
		rule("get(long,TimeUnit)", Rule.OBSERVES, true, 0, 1, (f) -> swallow(() -> f.get(1, TimeUnit.MILLISECONDS)), reads);
		rule("join()", Rule.OBSERVES, true, 0, -1, (f) -> swallow(f::join), reads);
		rule("getNow(Object)", Rule.OBSERVES, true, 0, 1, (f) -> swallow(() -> f.getNow("absent")), reads);
		rule("resultNow()", Rule.OBSERVES, true, 0, 1, (f) -> swallow(f::resultNow), reads + " (Java 19+)");
		rule("exceptionNow()", Rule.OBSERVES, true, 0, 1, (f) -> swallow(f::exceptionNow), reads + " (Java 19+)");
		rule("cancel(boolean)", Rule.OBSERVES, true, 0, 0, (f) -> f.cancel(true),
				"GC-4: cancel clears the flag even on a failed future; a cancellation is never reported (GC-2)");
		// state, not observing
		rule("isDone()", Rule.KEEPS, false, 1, 1, CompletableFuture::isDone, keeps);
		rule("isCancelled()", Rule.KEEPS, false, 1, 1, CompletableFuture::isCancelled, keeps);
		rule("isCompletedExceptionally()", Rule.KEEPS, false, 1, 1, CompletableFuture::isCompletedExceptionally, keeps);
		rule("state()", Rule.KEEPS, false, 1, 1, (f) -> invoke(f, "state"), keeps + " (Java 19+)");
		rule("getNumberOfDependents()", Rule.KEEPS, true, 1, 1, CompletableFuture::getNumberOfDependents,
				keeps + "; Eddy's own watcher is not counted");
		rule("toString()", Rule.KEEPS, true, 1, 1, CompletableFuture::toString, keeps + "; the JDK's format, then Eddy's");
		rule("toCompletableFuture()", Rule.KEEPS, false, 1, 1, CompletableFuture::toCompletableFuture,
				"returns the future itself, which keeps its duty");
		rule("defaultExecutor()", Rule.KEEPS, false, 1, 1, CompletableFuture::defaultExecutor, keeps);
		rule("newIncompleteFuture()", Rule.KEEPS, true, 1, 1, (f) -> {
			f.newIncompleteFuture(); // pending for ever: nothing to wait for
			return null;
		},
				"the JDK's factory of dependents; the new future is tracked in turn and this one keeps its duty");
		rule("orTimeout(long,TimeUnit)", Rule.KEEPS, true, 1, 1, (f) -> f.orTimeout(1, TimeUnit.DAYS), plumbing);
		rule("completeOnTimeout(Object,long,TimeUnit)", Rule.KEEPS, true, 1, 1,
				(f) -> f.completeOnTimeout("late", 1, TimeUnit.DAYS), plumbing);
		// completions
		rule("complete(Object)", Rule.COMPLETES, false, 1, 0, (f) -> f.complete("value"),
				"AF-7: too late on a done future; first, a result owes nothing (GC-2)");
		rule("completeExceptionally(Throwable)", Rule.COMPLETES, true, 1, -1,
				(f) -> f.completeExceptionally(new IOException("second")), "GC-2: a failure is owed from here");
		rule("completeAsync(Supplier)", Rule.COMPLETES, true, 1, -1, (f) -> f.completeAsync(() -> "supplied"),
				"a supplier that throws fails the future, which then owes it");
		rule("completeAsync(Supplier,Executor)", Rule.COMPLETES, true, 1, 0, (f) -> f.completeAsync(() -> "supplied", DIRECT),
				"a supplier that throws fails the future, which then owes it");
		rule("obtrudeValue(Object)", Rule.COMPLETES, true, 0, 0, (f) -> {
			f.obtrudeValue("forced");
			return f;
		}, "the failure is replaced by a result: nothing is owed");
		rule("obtrudeException(Throwable)", Rule.COMPLETES, true, 1, 1, (f) -> {
			f.obtrudeException(new IOException("forced"));
			return f;
		}, "the new failure is owed instead");
	}

	private static Object swallow(ThrowingSupplier call) {
		try {
			return call.get();
		}
		catch (Exception ex) {
			return ex;
		}
	}

	private static Object invoke(Object target, String method) {
		try {
			return target.getClass().getMethod(method).invoke(target);
		}
		catch (ReflectiveOperationException ex) {
			throw new AssertionError(ex);
		}
	}

	@FunctionalInterface
	interface ThrowingSupplier {

		Object get() throws Exception;

	}

	private static String signature(Method method) {
		return method.getName() + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
			.collect(Collectors.joining(",", "(", ")"));
	}

	private static List<Method> publicInstanceMethods() {
		return Arrays.stream(CompletableFuture.class.getMethods())
			.filter((m) -> !Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class)
			.toList();
	}

	@Test
	@DisplayName("every public instance method of CompletableFuture on this JDK has an observation rule")
	void everyPublicMethod_hasARule() {
		TreeSet<String> onThisJdk = publicInstanceMethods().stream()
			.map(EddyCompletableFutureTests::signature)
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(RULES.keySet()).as("a method this JDK has and the rules do not name: decide its rule")
			.containsAll(onThisJdk);
		TreeSet<String> onlyNewer = new TreeSet<>(RULES.keySet());
		onlyNewer.removeAll(onThisJdk);
		assertThat(onlyNewer).as("rules for methods of newer JDKs than this one")
			.isSubsetOf("resultNow()", "exceptionNow()", "state()");
	}

	@Test
	@DisplayName("each rule says truly whether Eddy overrides the method or inherits it")
	void everyPublicMethod_overriddenOrInheritedAsItsRuleSays() {
		for (Method method : publicInstanceMethods()) {
			Case rule = RULES.get(signature(method));
			boolean declared = Arrays.stream(EddyCompletableFuture.class.getDeclaredMethods())
				.anyMatch((m) -> !m.isBridge() && m.getName().equals(method.getName())
						&& Arrays.equals(m.getParameterTypes(), method.getParameterTypes()));
			assertThat(declared).as("%s overridden by EddyCompletableFuture (%s)", rule.signature(), rule.why())
				.isEqualTo(rule.overridden());
		}
	}

	static Stream<Case> casesOnThisJdk() {
		List<String> present = publicInstanceMethods().stream().map(EddyCompletableFutureTests::signature).toList();
		return RULES.values().stream().filter((c) -> present.contains(c.signature()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("casesOnThisJdk")
	@DisplayName("GC-2..GC-5: the call on a future that failed before it leaves the rule's number of failures owed")
	void everyPublicMethod_onAFailedFuture_followsItsRule(Case rule) {
		EddyCompletableFuture<String> future = failed("before " + rule.signature());
		assertThat(this.detector.trackedCount()).isEqualTo(1);
		Object returned = rule.call().apply(future);
		awaitDone(returned);
		assertThat(this.detector.trackedCount()).as("failures owed after %s: %s", rule.signature(), rule.why())
			.isEqualTo(rule.before());
		assertThat(future.isDone()).isTrue(); // keeps the future reachable until here
	}

	static Stream<Case> casesAfterOnThisJdk() {
		return casesOnThisJdk().filter((c) -> c.after() >= 0);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("casesAfterOnThisJdk")
	@DisplayName("GC-2..GC-5: the call on a pending future that fails afterwards leaves the rule's number of failures owed")
	void everyPublicMethod_onAFutureFailingLater_followsItsRule(Case rule) {
		EddyCompletableFuture<String> future = tracked();
		Object returned = rule.call().apply(future);
		future.completeExceptionally(new IOException("after " + rule.signature()));
		awaitDone(returned);
		assertThat(this.detector.trackedCount()).as("failures owed after %s: %s", rule.signature(), rule.why())
			.isEqualTo(rule.after());
		assertThat(future.isDone()).isTrue();
	}

	/** Waits, without observing, until a returned future (default-pool async variants) is done. */
	private static void awaitDone(Object returned) {
		if (!(returned instanceof CompletableFuture<?> dependent)) {
			return;
		}
		try {
			dependent.isDone();
		}
		catch (UnsupportedOperationException minimal) { // a minimal stage: its toString tells
			await().atMost(10, TimeUnit.SECONDS).until(() -> dependent.toString().contains("[Completed"));
			return;
		}
		await().atMost(10, TimeUnit.SECONDS).until(dependent::isDone);
	}

	// ---------------------------------------------------------------- the JDK's contract

	@Nested
	class JdkContract {

		@Test
		@DisplayName("thenCompose(null) and thenComposeAsync(null[, executor]) throw NullPointerException, observing nothing")
		void thenCompose_nullFunction_throwsNullPointerException() {
			EddyCompletableFuture<String> future = failed("kept");
			assertThatNullPointerException().isThrownBy(() -> future.thenCompose(null));
			assertThatNullPointerException().isThrownBy(() -> future.thenComposeAsync(null));
			assertThatNullPointerException().isThrownBy(() -> future.thenComposeAsync(null, DIRECT));
			assertThatNullPointerException().isThrownBy(() -> future.thenComposeAsync((v) -> future, null));
			assertThat(EddyCompletableFutureTests.this.detector.trackedCount()).as("a refused call observes nothing")
				.isEqualTo(1);
		}

		@Test
		@DisplayName("exceptionallyCompose(null) and exceptionallyComposeAsync(null[, executor]) throw NullPointerException")
		void exceptionallyCompose_nullFunction_throwsNullPointerException() {
			EddyCompletableFuture<String> future = failed("kept");
			assertThatNullPointerException().isThrownBy(() -> future.exceptionallyCompose(null));
			assertThatNullPointerException().isThrownBy(() -> future.exceptionallyComposeAsync(null));
			assertThatNullPointerException().isThrownBy(() -> future.exceptionallyComposeAsync(null, DIRECT));
			assertThat(EddyCompletableFutureTests.this.detector.trackedCount()).isEqualTo(1);
		}

		@Test
		@DisplayName("every other null function, action, stage or executor is refused before anything is observed")
		void nullArguments_areRefusedWithoutObserving() {
			EddyCompletableFuture<String> future = failed("kept");
			List<Runnable> calls = List.of(() -> future.thenApply(null), () -> future.thenApplyAsync((v) -> v, null),
					() -> future.thenAccept(null), () -> future.thenRun(null), () -> future.handle(null),
					() -> future.handleAsync((v, t) -> v, null), () -> future.whenComplete(null),
					() -> future.whenCompleteAsync(null), () -> future.exceptionally(null),
					() -> future.exceptionallyAsync(null), () -> future.thenCombine(null, (a, b) -> a),
					() -> future.applyToEither(null, (v) -> v), () -> future.runAfterBoth(future, null),
					() -> future.completeAsync(null), () -> future.completeAsync(() -> "v", null),
					() -> future.orTimeout(1, null), () -> future.completeOnTimeout("v", 1, null));
			for (Runnable call : calls) {
				assertThatNullPointerException().isThrownBy(call::run);
			}
			assertThat(EddyCompletableFutureTests.this.detector.trackedCount()).isEqualTo(1);
		}

		@Test
		@DisplayName("toString keeps the JDK's state format, then Eddy's details")
		void toString_keepsTheJdkStateFormat() {
			EddyCompletableFuture<String> pending = tracked();
			assertThat(pending.toString()).startsWith("CompletableFuture[source=contract]@")
				.endsWith("[Not completed](pending)");
			pending.thenApply((v) -> v);
			assertThat(pending.toString()).endsWith("[Not completed, 1 dependents](pending)");
			EddyCompletableFuture<String> done = tracked();
			done.complete("42");
			assertThat(done.toString()).endsWith("[Completed normally](done: 42)");
			EddyCompletableFuture<String> failed = failed("disk full");
			assertThat(failed.toString())
				.endsWith("[Completed exceptionally: java.io.IOException](failed: IOException: disk full)");
			swallow(failed::join);
			EddyCompletableFuture<String> cancelled = tracked();
			cancelled.cancel(false);
			assertThat(cancelled.toString())
				.endsWith("[Completed exceptionally: java.util.concurrent.CancellationException](cancelled)");
		}

		@Test
		@DisplayName("a fresh dependent has no dependents: Eddy's own watcher is not counted")
		void getNumberOfDependents_freshDependent_isZero() {
			EddyCompletableFuture<String> source = tracked();
			CompletableFuture<String> dependent = source.thenApply((v) -> v);
			assertThat(dependent.getNumberOfDependents()).isZero();
			assertThat(dependent.toString()).contains("[Not completed]");
			dependent.thenApply((v) -> v);
			dependent.thenAccept((v) -> {
			});
			assertThat(dependent.getNumberOfDependents()).isEqualTo(2);
			assertThat(source.getNumberOfDependents()).isEqualTo(1);
			source.complete("x");
			assertThat(dependent.getNumberOfDependents()).isZero();
		}

		@Test
		@DisplayName("the minimal stage refuses what the JDK's refuses, and its dependents are minimal too")
		void minimalCompletionStage_refusesLikeTheJdk() {
			CompletionStage<String> minimal = tracked().minimalCompletionStage();
			CompletableFuture<String> asFuture = (CompletableFuture<String>) minimal;
			assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(asFuture::join);
			assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(asFuture::isDone);
			assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> asFuture.complete("x"));
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> asFuture.orTimeout(1, TimeUnit.SECONDS));
			CompletableFuture<String> dependent = (CompletableFuture<String>) minimal.thenApply((v) -> v);
			assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(dependent::join);
			CompletableFuture<String> full = minimal.toCompletableFuture();
			assertThat(full.isDone()).isFalse();
		}

		@Test
		@DisplayName("the minimal stage delivers the source's result and its failure")
		void minimalCompletionStage_relaysTheOutcome() {
			EddyCompletableFuture<String> source = tracked();
			CompletableFuture<String> viaMinimal = source.minimalCompletionStage().toCompletableFuture();
			source.complete("relayed");
			assertThat(viaMinimal.join()).isEqualTo("relayed");
			EddyCompletableFuture<String> failing = tracked();
			CompletableFuture<String> failure = failing.minimalCompletionStage().toCompletableFuture();
			failing.completeExceptionally(new IOException("relayed"));
			assertThatExceptionOfType(CompletionException.class).isThrownBy(failure::join)
				.withCauseInstanceOf(IOException.class);
			assertThat(EddyCompletableFutureTests.this.detector.trackedCount()).isZero();
		}

	}

	// ---------------------------------------------------------------- what the detector reports

	@Nested
	class Reports {

		@Test
		@DisplayName("GC-1/GC-2: completeAsync whose supplier throws fails the future, and nobody reading it is reported")
		void completeAsync_throwingSupplier_isReported() {
			abandonCompleteAsync();
			awaitReports(EddyCompletableFutureTests.this.reports, 2);
			settle();
			assertThat(EddyCompletableFutureTests.this.reports).extracting((r) -> r.exception().getMessage())
				.containsExactlyInAnyOrder("supplier failed", "supplier failed on the default executor");
		}

		private void abandonCompleteAsync() {
			EddyCompletableFuture<String> direct = tracked();
			direct.completeAsync(() -> {
				throw new IllegalStateException("supplier failed");
			}, DIRECT);
			assertThat(direct.isCompletedExceptionally()).isTrue();
			EddyCompletableFuture<String> pooled = tracked();
			pooled.completeAsync(() -> {
				throw new IllegalStateException("supplier failed on the default executor");
			});
			await().atMost(10, TimeUnit.SECONDS).until(pooled::isDone);
			assertThat(EddyCompletableFutureTests.this.detector.trackedCount()).isEqualTo(2);
		}

		@Test
		@DisplayName("completeAsync: the failure stays the JDK's (join throws the CompletionException around it)")
		void completeAsync_throwingSupplier_failsAsTheJdkDoes() {
			EddyCompletableFuture<String> future = tracked();
			IllegalStateException thrown = new IllegalStateException("supplier failed");
			future.completeAsync(() -> {
				throw thrown;
			}, DIRECT);
			assertThatExceptionOfType(CompletionException.class).isThrownBy(future::join).withCause(thrown);
			assertThat(EddyCompletableFutureTests.this.detector.trackedCount()).isZero();
		}

		@Test
		@DisplayName("GC-5: orTimeout does not observe; the TimeoutException nobody reads is reported")
		void orTimeout_timeoutNobodyReads_isReported() {
			abandonOrTimeout();
			awaitReports(EddyCompletableFutureTests.this.reports, 2);
			settle();
			assertThat(EddyCompletableFutureTests.this.reports).extracting((r) -> (Object) r.exception().getClass())
				.containsExactlyInAnyOrder(TimeoutException.class, IOException.class);
		}

		private void abandonOrTimeout() {
			EddyCompletableFuture<String> timesOut = tracked();
			timesOut.orTimeout(20, TimeUnit.MILLISECONDS);
			EddyCompletableFuture<String> failsFirst = tracked();
			failsFirst.completeOnTimeout("late", 200, TimeUnit.MILLISECONDS);
			failsFirst.completeExceptionally(new IOException("failed before its timeout"));
			await().atMost(10, TimeUnit.SECONDS).until(timesOut::isDone);
		}

		@Test
		@DisplayName("minimalCompletionStage moves the duty: a failure joined through it is not reported")
		void minimalCompletionStage_failureJoinedThroughIt_isNotReported() {
			joinThroughMinimalStage();
			settle();
			assertThat(EddyCompletableFutureTests.this.reports).isEmpty();
		}

		private void joinThroughMinimalStage() {
			EddyCompletableFuture<String> source = tracked();
			CompletionStage<String> minimal = source.minimalCompletionStage();
			source.completeExceptionally(new IOException("joined through the minimal stage"));
			assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> minimal.toCompletableFuture().join());
			assertThat(EddyCompletableFutureTests.this.detector.trackedCount()).isZero();
		}

		@Test
		@DisplayName("minimalCompletionStage: a failure abandoned through it is reported once")
		void minimalCompletionStage_failureAbandoned_isReportedOnce() {
			abandonMinimalStage();
			awaitReports(EddyCompletableFutureTests.this.reports, 1);
			settle();
			assertThat(EddyCompletableFutureTests.this.reports).singleElement()
				.satisfies((r) -> assertThat(r.exception()).hasMessage("abandoned through the minimal stage"));
		}

		private void abandonMinimalStage() {
			EddyCompletableFuture<String> source = tracked();
			source.minimalCompletionStage().thenApply((v) -> v);
			source.completeExceptionally(new IOException("abandoned through the minimal stage"));
		}

		@Test
		@DisplayName("GC-2: a dependent of a cancelled future is not reported; its cause is the cancellation")
		void thenApply_ofCancelledFuture_isNotReported() {
			abandonDependentsOfCancelled();
			settle();
			assertThat(EddyCompletableFutureTests.this.reports).isEmpty();
		}

		private void abandonDependentsOfCancelled() {
			EddyCompletableFuture<String> cancelledLater = tracked();
			cancelledLater.thenApply((v) -> v).thenAccept((v) -> {
			});
			cancelledLater.cancel(true);
			EddyCompletableFuture<String> cancelledBefore = tracked();
			cancelledBefore.cancel(false);
			CompletableFuture<String> dependent = cancelledBefore.thenApply((v) -> v);
			assertThat(EddyCompletableFutureTests.this.detector.trackedCount()).isZero();
			assertThat(causeOf(dependent)).isInstanceOf(CancellationException.class);
		}

		@Test
		@DisplayName("CH-8: a dependent of an already-failed future, which the JDK completes directly, is reported")
		void dependentsOfAnAlreadyFailedFuture_abandoned_areReported() {
			abandonDependentsOfFailed();
			awaitReports(EddyCompletableFutureTests.this.reports, 4);
			settle();
			assertThat(EddyCompletableFutureTests.this.reports).hasSize(4)
				.allSatisfy((r) -> assertThat(r.exception()).hasMessage("failed first"));
		}

		private void abandonDependentsOfFailed() {
			List<EddyCompletableFuture<String>> sources = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				sources.add(failed("failed first"));
			}
			sources.get(0).thenApply((v) -> v);
			sources.get(1).copy();
			sources.get(2).thenCombine(CompletableFuture.completedFuture("x"), (a, b) -> a);
			sources.get(3).applyToEither(new CompletableFuture<>(), (v) -> v);
			assertThat(EddyCompletableFutureTests.this.detector.trackedCount()).isEqualTo(4);
		}

	}

	private static Throwable causeOf(CompletableFuture<?> failed) {
		try {
			failed.getNow(null);
			throw new AssertionError("not failed: " + failed);
		}
		catch (CompletionException ex) {
			return ex.getCause();
		}
	}

}
