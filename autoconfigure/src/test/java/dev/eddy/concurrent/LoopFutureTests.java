package dev.eddy.concurrent;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.EventLoopClosedException;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.eddy.testsupport.Cancellations.original;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Behaviour of {@link LoopFuture} against TORNADO-SEMANTICS.md sections 2, 3 and 5 (AF-*, CB-*,
 * T4-*), with the deviations of DESIGN.md §5 and the choices of §6. Every test drives a loop
 * owned by the test thread ({@link EventLoop#onCurrentThread}), so each loop iteration is an
 * explicit {@code runOnce()} and nothing depends on timing; calls from other threads run on a
 * named thread that is joined with a bound.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoopFutureTests {

	private static final String PENDING = "LoopFuture[loop=test](pending)";

	private static final String CONFINED = " is confined to loop 'test' but was called from thread '%s'; "
			+ "hop with loop.execute(...) or use toCompletableFuture()";

	private static final String ALREADY_DONE = "%s on %s: the future is already done and keeps its first outcome; "
			+ "check done() first, or use Futures.setResultUnlessCancelled/setExceptionUnlessCancelled when it may have been cancelled";

	private EventLoop loop;

	/** What the recording callbacks saw, in the order they ran. */
	private final List<String> calls = new ArrayList<>();

	/** The future each recording callback received, in the order they ran. */
	private final List<Object> received = new ArrayList<>();

	@BeforeEach
	void openLoop() {
		this.loop = EventLoop.onCurrentThread("test");
	}

	@AfterEach
	void closeLoop() {
		this.loop.close();
	}

	private <T> LoopFuture<T> newFuture() {
		return this.loop.newFuture();
	}

	/** A done-callback that records its name and the future it received. */
	private Consumer<LoopFuture<Object>> recorder(String name) {
		return (future) -> {
			this.calls.add(name);
			this.received.add(future);
		};
	}

	/** A loop callback that records its name. */
	private Runnable task(String name) {
		return () -> this.calls.add(name);
	}

	/** What a call made on another thread returned or threw. */
	private record Outcome(Object value, Throwable thrown) {
	}

	@FunctionalInterface
	private interface Call {

		Object call() throws Exception;

	}

	/** Runs {@code call} on a new thread with the given name, and waits (bounded) for it. */
	private static Outcome onThread(String threadName, Call call) throws InterruptedException {
		AtomicReference<Outcome> outcome = new AtomicReference<>();
		Thread thread = new Thread(() -> {
			try {
				outcome.set(new Outcome(call.call(), null));
			}
			catch (Throwable ex) {
				outcome.set(new Outcome(null, ex));
			}
		}, threadName);
		thread.start();
		thread.join(TimeUnit.SECONDS.toMillis(5));
		assertThat(thread.isAlive()).as("thread '%s' finished in time", threadName).isFalse();
		assertThat(outcome.get()).isNotNull();
		return outcome.get();
	}

	@SuppressWarnings("unchecked")
	private static List<Object> listOf(Outcome outcome) {
		return (List<Object>) outcome.value();
	}

	private static Throwable thrownOnThread(String threadName, Call call) throws InterruptedException {
		Throwable thrown = onThread(threadName, call).thrown();
		assertThat(thrown).as("thrown on thread '%s'", threadName).isNotNull();
		return thrown;
	}

	@Test
	@DisplayName("AF-7/D-9: setException(null) on a done future throws NullPointerException (Java's null check comes first)")
	void setException_nullOnDoneFuture_throwsNullPointerException() {
		LoopFuture<String> future = this.loop.newFuture();
		future.setResult("done");
		assertThat(catchThrowable(() -> future.setException(null))).isInstanceOf(NullPointerException.class);
		assertThat(future.result()).isEqualTo("done");
		LoopFuture<String> pending = this.loop.newFuture();
		assertThat(catchThrowable(() -> pending.setException(null))).isInstanceOf(NullPointerException.class);
		assertThat(pending.done()).isFalse();
	}

	@Test
	@DisplayName("AF-9: a 10M-character cancel message is kept in the exception but cut in toString")
	void toString_hugeCancelMessage_isBounded() {
		LoopFuture<String> future = this.loop.newFuture();
		String huge = "x".repeat(10_000_000);
		future.cancel(huge);
		assertThat(future.toString()).hasSizeLessThan(300).startsWith("LoopFuture[loop=test](cancelled: xxx").endsWith("…)");
		assertThat(future.toCompletableFuture().toString()).hasSizeLessThan(300);
		assertThat(catchThrowable(future::result)).isInstanceOf(CancellationException.class).hasMessage(huge);
	}

	@Nested
	class Creation {

		@Test
		@DisplayName("AF-1: newFuture() makes a future bound to its loop, which is current on the owning thread")
		void newFuture_onLoopThread_isBoundToThatLoop() {
			LoopFuture<Object> future = newFuture();

			assertThat(future.loop()).isSameAs(LoopFutureTests.this.loop);
			assertThat(EventLoop.current()).isSameAs(LoopFutureTests.this.loop);
		}

		@Test
		@DisplayName("AF-1: a future made from another thread is still bound to the loop it came from")
		void newFuture_fromAnotherThread_isBoundToTheLoop() throws InterruptedException {
			Outcome outcome = onThread("maker", () -> LoopFutureTests.this.loop.newFuture());

			assertThat(outcome.thrown()).isNull();
			LoopFuture<?> future = (LoopFuture<?>) outcome.value();
			assertThat(future.loop()).isSameAs(LoopFutureTests.this.loop);
			assertThat(future.done()).isFalse();
		}

		@Test
		@DisplayName("AF-1: EventLoop.current() off every loop thread throws IllegalStateException naming the thread")
		void current_offLoopThread_throwsNamingTheThread() throws InterruptedException {
			Throwable thrown = thrownOnThread("no-loop-thread", EventLoop::current);

			assertThat(thrown).isExactlyInstanceOf(IllegalStateException.class)
				.hasMessage("There is no current event loop in thread 'no-loop-thread'; run this on a loop thread "
						+ "(loop.execute(...)) or make one with EventLoop.onCurrentThread(name)");
		}

	}

	@Nested
	class Pending {

		@Test
		@DisplayName("AF-2, T4-2: a new future is not done, not cancelled, and running() is !done()")
		void newFuture_isPendingNotCancelledAndRunning() {
			LoopFuture<Object> future = newFuture();

			assertThat(future.done()).isFalse();
			assertThat(future.cancelled()).isFalse();
			assertThat(future.running()).isTrue();
		}

		@Test
		@DisplayName("AF-2: result() while pending throws InvalidStateException at once and leaves the future pending")
		void result_whilePending_throwsInvalidStateException() {
			LoopFuture<Object> future = newFuture();

			assertThatThrownBy(future::result).isExactlyInstanceOf(InvalidStateException.class)
				.isInstanceOf(IllegalStateException.class)
				.hasMessage("Result is not set: " + PENDING
						+ "; add a callback with addDoneCallback(...) or check done() first");
			assertThat(future.done()).isFalse();
		}

		@Test
		@DisplayName("AF-2: exception() while pending throws InvalidStateException at once and leaves the future pending")
		void exception_whilePending_throwsInvalidStateException() {
			LoopFuture<Object> future = newFuture();

			assertThatThrownBy(future::exception).isExactlyInstanceOf(InvalidStateException.class)
				.hasMessage("Exception is not set: " + PENDING
						+ "; add a callback with addDoneCallback(...) or check done() first");
			assertThat(future.done()).isFalse();
		}

		@Test
		@DisplayName("T4-2: excInfo() while pending returns null and does not throw")
		void excInfo_whilePending_isNull() {
			LoopFuture<Object> future = newFuture();

			assertThat(future.excInfo()).isNull();
			assertThat(future.done()).isFalse();
		}

		@Test
		@DisplayName("AF-3: result() and exception() take no arguments (no timeout overload exists)")
		void resultAndException_haveNoTimeoutOverload() {
			List<Method> getters = Arrays.stream(LoopFuture.class.getMethods())
				.filter((method) -> method.getName().equals("result") || method.getName().equals("exception"))
				.toList();

			assertThat(getters).hasSize(2).allSatisfy((method) -> assertThat(method.getParameterCount()).isZero());
		}

		@Test
		@DisplayName("T4-2: running() follows done() through completion and cancellation")
		void running_afterCompletion_isFalse() {
			LoopFuture<Object> succeeded = newFuture();
			LoopFuture<Object> cancelled = newFuture();

			succeeded.setResult(1);
			cancelled.cancel();

			assertThat(succeeded.running()).isFalse();
			assertThat(cancelled.running()).isFalse();
		}

	}

	@Nested
	class Results {

		@Test
		@DisplayName("AF-4: after setResult(v) the future is done at once, result() returns v every time, exception() null")
		void setResult_value_isReturnedOnEveryCall() {
			LoopFuture<Object> future = newFuture();
			Object value = new Object();

			future.setResult(value);

			assertThat(future.done()).isTrue();
			assertThat(future.cancelled()).isFalse();
			assertThat(future.result()).isSameAs(value);
			assertThat(future.result()).isSameAs(value);
			assertThat(future.exception()).isNull();
		}

		@Test
		@DisplayName("AF-4, T4-15: null is a valid result")
		void setResult_null_isAValidResult() {
			LoopFuture<Object> future = newFuture();

			future.setResult(null);

			assertThat(future.done()).isTrue();
			assertThat(future.result()).isNull();
			assertThat(future.exception()).isNull();
			assertThat(future.toString()).isEqualTo("LoopFuture[loop=test](done: null)");
		}

		@Test
		@DisplayName("AF-4: an exception object set as a result is returned, not thrown")
		void setResult_exceptionObject_isReturnedNotThrown() {
			LoopFuture<Object> future = newFuture();
			IOException value = new IOException("a value, not a failure");

			future.setResult(value);

			assertThat(future.result()).isSameAs(value);
			assertThat(future.exception()).isNull();
			assertThat(future.excInfo()).isNull();
		}

		@Test
		@DisplayName("T4-2: excInfo() after a result is null")
		void excInfo_afterResult_isNull() {
			LoopFuture<Object> future = newFuture();

			future.setResult(42);

			assertThat(future.excInfo()).isNull();
		}

	}

	@Nested
	class Failures {

		@Test
		@DisplayName("AF-5: a RuntimeException is rethrown as the same object on every call; exception() returns it")
		void result_runtimeException_isRethrownAsIs() {
			LoopFuture<Object> future = newFuture();
			IllegalArgumentException failure = new IllegalArgumentException("bad");

			future.setException(failure);

			assertThat(future.done()).isTrue();
			assertThat(future.cancelled()).isFalse();
			assertThat(catchThrowable(future::result)).isSameAs(failure);
			assertThat(catchThrowable(future::result)).isSameAs(failure);
			assertThat(future.exception()).isSameAs(failure);
			assertThat(failure.getSuppressed()).isEmpty();
		}

		@Test
		@DisplayName("AF-5: an Error is rethrown as the same object")
		void result_error_isRethrownAsIs() {
			LoopFuture<Object> future = newFuture();
			LinkageError failure = new LinkageError("broken class");

			future.setException(failure);

			assertThat(catchThrowable(future::result)).isSameAs(failure);
			assertThat(catchThrowable(future::result)).isSameAs(failure);
			assertThat(future.exception()).isSameAs(failure);
		}

		@Test
		@DisplayName("D-3, AF-5: a checked exception is wrapped once in the same CompletionException on every call; "
				+ "the original is untouched")
		void result_checkedException_isWrappedOnceInTheSameCompletionException() {
			LoopFuture<Object> future = newFuture();
			IOException failure = new IOException("disk full");

			future.setException(failure);

			Throwable first = catchThrowable(future::result);
			Throwable second = catchThrowable(future::result);
			assertThat(first).isExactlyInstanceOf(CompletionException.class).hasCause(failure);
			assertThat(first.getCause()).isSameAs(failure);
			assertThat(second).isSameAs(first);
			assertThat(future.exception()).isSameAs(failure);
			assertThat(failure.getSuppressed()).isEmpty();
			assertThat(failure.getCause()).isNull();
		}

		@Test
		@DisplayName("AF-6: setException(null) throws NullPointerException and the future stays pending")
		void setException_null_throwsAndStaysPending() {
			LoopFuture<Object> future = newFuture();

			assertThatThrownBy(() -> future.setException(null)).isExactlyInstanceOf(NullPointerException.class)
				.hasMessage("exception");
			assertThat(future.done()).isFalse();
			future.setResult(1);
			assertThat(future.result()).isEqualTo(1);
		}

		@Test
		@DisplayName("T4-8: setExcInfo keeps the identical ExcInfo; exception() returns its value, result() throws it")
		void setExcInfo_keepsTheIdenticalExcInfo() {
			LoopFuture<Object> future = newFuture();
			IllegalStateException failure = new IllegalStateException("from exc_info");
			ExcInfo info = ExcInfo.of(failure);

			future.setExcInfo(info);

			assertThat(future.done()).isTrue();
			assertThat(future.excInfo()).isSameAs(info);
			assertThat(future.excInfo()).isSameAs(info);
			assertThat(future.exception()).isSameAs(failure);
			assertThat(catchThrowable(future::result)).isSameAs(failure);
		}

		@Test
		@DisplayName("T4-8, FSX-2: only the value of an ExcInfo completes the future")
		void setExcInfo_mismatchedType_usesTheValue() {
			LoopFuture<Object> future = newFuture();
			IllegalStateException failure = new IllegalStateException("value wins");
			ExcInfo info = new ExcInfo(IOException.class, failure, List.of());

			future.setExcInfo(info);

			assertThat(future.exception()).isSameAs(failure);
			assertThat(catchThrowable(future::result)).isSameAs(failure);
			assertThat(future.excInfo()).isSameAs(info);
		}

		@Test
		@DisplayName("T4-8: after setException, excInfo() is made from the exception: type, value and traceback")
		void excInfo_afterSetException_isMadeFromTheException() {
			LoopFuture<Object> future = newFuture();
			IOException failure = new IOException("disk full");

			future.setException(failure);

			ExcInfo info = future.excInfo();
			assertThat(info).isNotNull();
			assertThat(info.type()).isEqualTo(IOException.class);
			assertThat(info.value()).isSameAs(failure);
			assertThat(info.traceback()).containsExactly(failure.getStackTrace()).isNotEmpty();
		}

		@Test
		@DisplayName("FSX-1: setExcInfo with a null value throws IllegalArgumentException and the future stays pending")
		void setExcInfo_nullValue_throwsIllegalArgumentException() {
			LoopFuture<Object> future = newFuture();

			assertThatThrownBy(() -> future.setExcInfo(new ExcInfo(IOException.class, null, List.of())))
				.isExactlyInstanceOf(IllegalArgumentException.class)
				.hasMessage("setExcInfo called with no exception");
			assertThat(future.done()).isFalse();
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.eddy.concurrent.LoopFutureTests#completions")
		@DisplayName("FSX-1: setExcInfo with a null value on a done future throws IllegalArgumentException, "
				+ "not InvalidStateException")
		void setExcInfo_nullValueOnDoneFuture_throwsIllegalArgumentExceptionFirst(String completion,
				Consumer<LoopFuture<Object>> complete) {
			LoopFuture<Object> future = newFuture();
			complete.accept(future);
			String before = future.toString();

			assertThatThrownBy(() -> future.setExcInfo(new ExcInfo(IOException.class, null, List.of())))
				.isExactlyInstanceOf(IllegalArgumentException.class)
				.hasMessage("setExcInfo called with no exception");
			assertThat(future.toString()).isEqualTo(before);
		}

	}

	/** The four ways to complete a future, each with the {@code toString()} state it leaves. */
	static Stream<Arguments> completions() {
		return Stream.of(
				Arguments.of("setResult", (Consumer<LoopFuture<Object>>) (future) -> future.setResult(1)),
				Arguments.of("setException",
						(Consumer<LoopFuture<Object>>) (future) -> future.setException(new IllegalStateException("first"))),
				Arguments.of("setExcInfo", (Consumer<LoopFuture<Object>>) (future) -> future
					.setExcInfo(ExcInfo.of(new IllegalStateException("first")))),
				Arguments.of("cancel", (Consumer<LoopFuture<Object>>) (future) -> future.cancel("first")));
	}

	static Stream<Arguments> completionsAndSecondAttempts() {
		List<Arguments> all = new ArrayList<>();
		Object[][] seconds = {
				{ "setResult", (Consumer<LoopFuture<Object>>) (future) -> future.setResult(2) },
				{ "setException", (Consumer<LoopFuture<Object>>) (future) -> future.setException(new IOException("second")) },
				{ "setExcInfo", (Consumer<LoopFuture<Object>>) (future) -> future.setExcInfo(ExcInfo.of(new IOException("second"))) } };
		completions().forEach((first) -> {
			for (Object[] second : seconds) {
				all.add(Arguments.of(first.get()[0], first.get()[1], second[0], second[1]));
			}
		});
		return all.stream();
	}

	@Nested
	class DoubleCompletion {

		@ParameterizedTest(name = "{0} then {2}")
		@MethodSource("dev.eddy.concurrent.LoopFutureTests#completionsAndSecondAttempts")
		@DisplayName("AF-7: completing a done future throws InvalidStateException and keeps the first outcome")
		void complete_whenAlreadyDone_throwsInvalidStateExceptionAndKeepsFirstOutcome(String firstName,
				Consumer<LoopFuture<Object>> first, String secondName, Consumer<LoopFuture<Object>> second) {
			LoopFuture<Object> future = newFuture();
			future.addDoneCallback(recorder("cb"));
			first.accept(future);
			String state = future.toString();
			Throwable firstThrown = catchThrowable(future::result);
			Object firstResult = (firstThrown == null) ? future.result() : null;

			assertThatThrownBy(() -> second.accept(future)).isExactlyInstanceOf(InvalidStateException.class)
				.hasMessage(ALREADY_DONE.formatted(secondName, state));

			assertThat(future.toString()).isEqualTo(state);
			if (firstThrown == null) {
				assertThat(future.result()).isEqualTo(firstResult).isEqualTo(1);
			}
			else {
				assertThat(catchThrowable(future::result)).isSameAs(firstThrown);
			}
			assertThat(LoopFutureTests.this.loop.runUntilIdle()).isEqualTo(1);
			assertThat(LoopFutureTests.this.calls).containsExactly("cb");
		}

	}

	@Nested
	class Cancellation {

		@Test
		@DisplayName("AF-8: cancel() on a pending future returns true; result() and exception() throw "
				+ "CancellationException; a second cancel() returns false")
		void cancel_pending_returnsTrueAndCancels() {
			LoopFuture<Object> future = newFuture();

			assertThat(future.cancel()).isTrue();

			assertThat(future.cancelled()).isTrue();
			assertThat(future.done()).isTrue();
			Throwable cancellation = catchThrowable(future::result);
			assertThat(cancellation).isExactlyInstanceOf(CancellationException.class);
			assertThat(cancellation.getMessage()).isNull();
			assertThatThrownBy(future::exception).isExactlyInstanceOf(CancellationException.class);
			assertThatThrownBy(future::excInfo).isExactlyInstanceOf(CancellationException.class);
			assertThat(future.cancel()).isFalse();
			assertThat(future.cancel("again")).isFalse();
			assertThat(future.cancelled()).isTrue();
		}

		@Test
		@DisplayName("AF-9: cancel(msg) puts msg into the CancellationException; result(), exception() and "
				+ "excInfo() throw the same object")
		void cancel_withMessage_isCarriedByTheSameCancellationException() {
			LoopFuture<Object> future = newFuture();

			assertThat(future.cancel("why")).isTrue();

			Throwable fromResult = catchThrowable(future::result);
			assertThat(fromResult).isExactlyInstanceOf(CancellationException.class).hasMessage("why");
			assertThat(catchThrowable(future::result)).isSameAs(fromResult);
			assertThat(catchThrowable(future::exception)).isSameAs(fromResult);
			assertThat(catchThrowable(future::excInfo)).isSameAs(fromResult);
		}

		@Test
		@DisplayName("AF-10: cancel() on a future with a result returns false and changes nothing")
		void cancel_afterResult_returnsFalseAndChangesNothing() {
			LoopFuture<Object> future = newFuture();
			future.addDoneCallback(recorder("cb"));
			future.setResult(42);

			assertThat(future.cancel()).isFalse();
			assertThat(future.cancel("late")).isFalse();

			assertThat(future.cancelled()).isFalse();
			assertThat(future.result()).isEqualTo(42);
			assertThat(future.toString()).isEqualTo("LoopFuture[loop=test](done: 42)");
			assertThat(LoopFutureTests.this.loop.runUntilIdle()).isEqualTo(1);
			assertThat(LoopFutureTests.this.calls).containsExactly("cb");
		}

		@Test
		@DisplayName("AF-10: cancel() on a failed future returns false and changes nothing")
		void cancel_afterException_returnsFalseAndChangesNothing() {
			LoopFuture<Object> future = newFuture();
			IllegalStateException failure = new IllegalStateException("boom");
			future.setException(failure);

			assertThat(future.cancel()).isFalse();

			assertThat(future.cancelled()).isFalse();
			assertThat(future.exception()).isSameAs(failure);
			assertThat(catchThrowable(future::result)).isSameAs(failure);
		}

	}

	@Nested
	class Callbacks {

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.eddy.concurrent.LoopFutureTests#completions")
		@DisplayName("CB-1: completion never runs callbacks inline; the next iteration runs them in registration "
				+ "order, each receiving the future")
		void complete_withCallbacks_runsThemInTheNextIterationInOrder(String completion,
				Consumer<LoopFuture<Object>> complete) {
			LoopFuture<Object> future = newFuture();
			future.addDoneCallback(recorder("a"));
			future.addDoneCallback(recorder("b"));
			future.addDoneCallback(recorder("c"));

			complete.accept(future);

			assertThat(future.done()).isTrue();
			assertThat(LoopFutureTests.this.calls).isEmpty();
			assertThat(LoopFutureTests.this.loop.runOnce()).isEqualTo(3);
			assertThat(LoopFutureTests.this.calls).containsExactly("a", "b", "c");
			assertThat(LoopFutureTests.this.received).containsExactly(future, future, future);
			assertThat(LoopFutureTests.this.loop.runOnce()).isZero();
		}

		@Test
		@DisplayName("CB-2: if the loop does not run, callbacks do not run, yet done() is true at once")
		void setResult_loopNotRun_callbacksNeverRun() {
			LoopFuture<Object> future = newFuture();
			future.addDoneCallback(recorder("a"));

			future.setResult(1);

			assertThat(future.done()).isTrue();
			assertThat(future.result()).isEqualTo(1);
			assertThat(future.removeDoneCallback(recorder("other"))).isZero();
			assertThat(LoopFutureTests.this.calls).isEmpty();
			assertThat(LoopFutureTests.this.loop.statistics().pending()).isEqualTo(1);
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.eddy.concurrent.LoopFutureTests#completions")
		@DisplayName("CB-3: addDoneCallback on a done future schedules the callback; it does not run inline")
		void addDoneCallback_afterDone_isScheduledNotInline(String completion, Consumer<LoopFuture<Object>> complete) {
			LoopFuture<Object> future = newFuture();
			complete.accept(future);
			assertThat(LoopFutureTests.this.loop.runUntilIdle()).isZero();

			future.addDoneCallback(recorder("late"));

			assertThat(LoopFutureTests.this.calls).isEmpty();
			assertThat(LoopFutureTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(LoopFutureTests.this.calls).containsExactly("late");
			assertThat(LoopFutureTests.this.received).containsExactly(future);
		}

		@Test
		@DisplayName("CB-4: done-callbacks and execute() share one FIFO: the order of execution is the order of "
				+ "scheduling")
		void doneCallbacksAndExecute_interleaved_runInSchedulingOrder() {
			EventLoop loop = LoopFutureTests.this.loop;
			LoopFuture<Object> f = newFuture();
			LoopFuture<Object> g = newFuture();

			loop.execute(task("x1"));
			f.addDoneCallback(recorder("f-a"));
			loop.execute(task("x2"));
			f.addDoneCallback(recorder("f-b"));
			g.addDoneCallback(recorder("g-a"));
			f.setResult(1); // schedules f-a, f-b now
			loop.execute(task("x3"));
			f.addDoneCallback(recorder("f-late1")); // scheduled at registration
			loop.execute(task("x4"));
			g.setResult(2); // schedules g-a now
			f.addDoneCallback(recorder("f-late2"));
			loop.execute(task("x5"));

			assertThat(LoopFutureTests.this.calls).isEmpty();
			assertThat(loop.runOnce()).isEqualTo(10);
			assertThat(LoopFutureTests.this.calls).containsExactly("x1", "x2", "f-a", "f-b", "x3", "f-late1", "x4", "g-a",
					"f-late2", "x5");
		}

		@Test
		@DisplayName("CB-5: a callback scheduled during iteration N runs in iteration N+1, never in N")
		void callbackScheduledDuringIteration_runsInTheNextIteration() {
			EventLoop loop = LoopFutureTests.this.loop;
			LoopFuture<Object> f = newFuture();
			LoopFuture<Object> g = newFuture();
			LoopFuture<Object> done = newFuture();
			done.setResult("done");
			g.addDoneCallback(recorder("g-cb"));
			f.addDoneCallback((future) -> {
				LoopFutureTests.this.calls.add("f-cb");
				loop.execute(task("executed"));
				g.setResult(1);
				done.addDoneCallback(recorder("added-after-done"));
				f.addDoneCallback(recorder("f-again"));
			});
			f.setResult(0);

			assertThat(loop.runOnce()).isEqualTo(1);
			assertThat(LoopFutureTests.this.calls).containsExactly("f-cb");
			assertThat(loop.runOnce()).isEqualTo(4);
			assertThat(LoopFutureTests.this.calls).containsExactly("f-cb", "executed", "g-cb", "added-after-done",
					"f-again");
			assertThat(loop.runOnce()).isZero();
		}

		@Test
		@DisplayName("CB-6: registering the same callback twice makes it run twice")
		void addDoneCallback_sameCallbackTwice_runsTwice() {
			LoopFuture<Object> future = newFuture();
			Consumer<LoopFuture<Object>> callback = recorder("twice");
			future.addDoneCallback(callback);
			future.addDoneCallback(callback);

			future.setResult(1);

			assertThat(LoopFutureTests.this.loop.runOnce()).isEqualTo(2);
			assertThat(LoopFutureTests.this.calls).containsExactly("twice", "twice");
		}

		@Test
		@DisplayName("CB-7: removeDoneCallback removes every equal registration and returns how many")
		void removeDoneCallback_severalRegistrations_removesAllAndReturnsCount() {
			LoopFuture<Object> future = newFuture();
			Consumer<LoopFuture<Object>> a = recorder("a");
			future.addDoneCallback(a);
			future.addDoneCallback(recorder("b"));
			future.addDoneCallback(a);
			future.addDoneCallback(a);

			assertThat(future.removeDoneCallback(a)).isEqualTo(3);
			assertThat(future.removeDoneCallback(a)).isZero();

			future.setResult(1);
			assertThat(LoopFutureTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(LoopFutureTests.this.calls).containsExactly("b");
		}

		@Test
		@DisplayName("CB-7: removeDoneCallback of the only registration removes it")
		void removeDoneCallback_singleRegistration_removesIt() {
			LoopFuture<Object> future = newFuture();
			Consumer<LoopFuture<Object>> a = recorder("a");
			future.addDoneCallback(a);

			assertThat(future.removeDoneCallback(a)).isEqualTo(1);

			future.setResult(1);
			assertThat(LoopFutureTests.this.loop.runOnce()).isZero();
			assertThat(LoopFutureTests.this.calls).isEmpty();
		}

		@Test
		@DisplayName("CB-7: removeDoneCallback matches by equals, not only identity")
		void removeDoneCallback_equalCallback_isRemoved() {
			LoopFuture<Object> future = newFuture();
			future.addDoneCallback(new NamedCallback("x", LoopFutureTests.this.calls));
			future.addDoneCallback(new NamedCallback("y", LoopFutureTests.this.calls));
			future.addDoneCallback(new NamedCallback("x", LoopFutureTests.this.calls));

			assertThat(future.removeDoneCallback(new NamedCallback("x", LoopFutureTests.this.calls))).isEqualTo(2);

			future.setResult(1);
			assertThat(LoopFutureTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(LoopFutureTests.this.calls).containsExactly("y");
		}

		@Test
		@DisplayName("CB-7: removeDoneCallback returns 0 when the callback was never registered")
		void removeDoneCallback_notRegistered_returnsZero() {
			LoopFuture<Object> future = newFuture();
			assertThat(future.removeDoneCallback(recorder("none"))).isZero();

			future.addDoneCallback(recorder("a"));
			future.addDoneCallback(recorder("b"));
			assertThat(future.removeDoneCallback(recorder("a"))).as("a different lambda object").isZero();

			future.setResult(1);
			assertThat(LoopFutureTests.this.loop.runOnce()).isEqualTo(2);
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.eddy.concurrent.LoopFutureTests#completions")
		@DisplayName("CB-8: after completion removeDoneCallback returns 0 and the queued callbacks still run")
		void removeDoneCallback_afterCompletion_returnsZeroAndCallbacksStillRun(String completion,
				Consumer<LoopFuture<Object>> complete) {
			LoopFuture<Object> future = newFuture();
			Consumer<LoopFuture<Object>> a = recorder("a");
			future.addDoneCallback(a);
			future.addDoneCallback(recorder("b"));
			complete.accept(future);

			assertThat(future.removeDoneCallback(a)).isZero();

			assertThat(LoopFutureTests.this.loop.runOnce()).isEqualTo(2);
			assertThat(LoopFutureTests.this.calls).containsExactly("a", "b");
		}

		@Test
		@DisplayName("CB-8: a callback added after completion cannot be removed either")
		void removeDoneCallback_addedAfterDone_returnsZeroAndItRuns() {
			LoopFuture<Object> future = newFuture();
			future.setResult(1);
			Consumer<LoopFuture<Object>> late = recorder("late");
			future.addDoneCallback(late);

			assertThat(future.removeDoneCallback(late)).isZero();

			assertThat(LoopFutureTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(LoopFutureTests.this.calls).containsExactly("late");
		}

	}

	/** A callback with value equality, to show that removal uses {@code equals}. */
	private record NamedCallback(String name, List<String> calls) implements Consumer<LoopFuture<Object>> {

		@Override
		public void accept(LoopFuture<Object> future) {
			this.calls.add(this.name);
		}

	}

	/** A done-callback that throws, with a readable {@code toString()} for exact log assertions. */
	private static final class ThrowingCallback implements Consumer<LoopFuture<Object>> {

		private final String name;

		private final RuntimeException failure;

		ThrowingCallback(String name, RuntimeException failure) {
			this.name = name;
			this.failure = failure;
		}

		@Override
		public void accept(LoopFuture<Object> future) {
			throw this.failure;
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	@Nested
	class CallbackErrors {

		@Test
		@DisplayName("CB-9: a throwing done-callback is logged at ERROR on dev.eddy.loop with the exception and "
				+ "counted; the other callbacks still run and setResult returned normally")
		void doneCallback_throwing_isLoggedCountedAndOthersStillRun() {
			EventLoop loop = LoopFutureTests.this.loop;
			LoopFuture<Object> future = newFuture();
			IllegalStateException failure = new IllegalStateException("boom");
			future.addDoneCallback(recorder("first"));
			future.addDoneCallback(new ThrowingCallback("boom-callback", failure));
			future.addDoneCallback(recorder("last"));
			long failedBefore = loop.statistics().callbacksFailed();

			try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
				assertThatCode(() -> future.setResult(42)).doesNotThrowAnyException();
				assertThat(loop.runOnce()).isEqualTo(3);

				assertThat(LoopFutureTests.this.calls).containsExactly("first", "last");
				assertThat(loop.statistics().callbacksFailed()).isEqualTo(failedBefore + 1);
				List<ILoggingEvent> errors = log.events().stream().filter((e) -> e.getLevel() == Level.ERROR).toList();
				assertThat(errors).hasSize(1);
				ILoggingEvent event = errors.get(0);
				assertThat(event.getFormattedMessage()).startsWith("Exception in callback")
					.isEqualTo("Exception in callback boom-callback for LoopFuture[loop=test](done: 42) on EventLoop 'test'");
				assertThat(event.getThrowableProxy()).isInstanceOf(ThrowableProxy.class);
				assertThat(((ThrowableProxy) event.getThrowableProxy()).getThrowable()).isSameAs(failure);
			}
		}

		@Test
		@DisplayName("CB-9: a CancellationException thrown by a done-callback is logged and counted too")
		void doneCallback_throwingCancellationException_isLogged() {
			EventLoop loop = LoopFutureTests.this.loop;
			LoopFuture<Object> future = newFuture();
			CancellationException failure = new CancellationException("from a callback");
			future.addDoneCallback(new ThrowingCallback("cancelling-callback", failure));
			future.addDoneCallback(recorder("after"));
			long failedBefore = loop.statistics().callbacksFailed();

			try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
				future.cancel("why");
				assertThat(loop.runOnce()).isEqualTo(2);

				assertThat(LoopFutureTests.this.calls).containsExactly("after");
				assertThat(loop.statistics().callbacksFailed()).isEqualTo(failedBefore + 1);
				List<ILoggingEvent> errors = log.events().stream().filter((e) -> e.getLevel() == Level.ERROR).toList();
				assertThat(errors).hasSize(1);
				assertThat(errors.get(0).getFormattedMessage()).isEqualTo(
						"Exception in callback cancelling-callback for LoopFuture[loop=test](cancelled: why) on EventLoop 'test'");
				assertThat(((ThrowableProxy) errors.get(0).getThrowableProxy()).getThrowable()).isSameAs(failure);
			}
		}

		@Test
		@DisplayName("CB-9: a throwing callback added after completion is logged and does not stop the loop")
		void doneCallback_addedAfterDoneThrowing_isLoggedAndLoopGoesOn() {
			EventLoop loop = LoopFutureTests.this.loop;
			LoopFuture<Object> future = newFuture();
			future.setException(new IOException("disk full"));
			IllegalArgumentException failure = new IllegalArgumentException("late boom");

			try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
				future.addDoneCallback(new ThrowingCallback("late-callback", failure));
				loop.execute(task("next"));
				assertThat(loop.runOnce()).isEqualTo(2);

				assertThat(LoopFutureTests.this.calls).containsExactly("next");
				assertThat(log.messages(Level.ERROR)).containsExactly(
						"Exception in callback late-callback for LoopFuture[loop=test](failed: IOException: disk full) on EventLoop 'test'");
			}
			assertThat(future.exception()).isInstanceOf(IOException.class);
		}

	}

	@Nested
	class ClosedLoop {

		@Test
		@DisplayName("CB-10: completing a future without callbacks after the loop closed works")
		void setResult_noCallbacksAfterClose_completes() {
			LoopFuture<Object> future = newFuture();
			LoopFutureTests.this.loop.close();

			assertThatCode(() -> future.setResult(1)).doesNotThrowAnyException();

			assertThat(future.done()).isTrue();
			assertThat(future.result()).isEqualTo(1);
		}

		@Test
		@DisplayName("CB-10, D-2: setResult with callbacks after close completes the future, then throws "
				+ "EventLoopClosedException, counted as rejected")
		void setResult_withCallbacksAfterClose_completesThenThrows() {
			EventLoop loop = LoopFutureTests.this.loop;
			LoopFuture<Object> future = newFuture();
			future.addDoneCallback(recorder("lost"));
			loop.close();
			long rejectedBefore = loop.statistics().callbacksRejected();

			Throwable thrown = catchThrowable(() -> future.setResult(42));

			assertThat(thrown).isExactlyInstanceOf(EventLoopClosedException.class)
				.isInstanceOf(RejectedExecutionException.class)
				.hasMessage("EventLoop 'test' is closed; LoopFuture[loop=test](done: 42) is complete but its "
						+ "done-callbacks cannot run; complete futures before their loop closes");
			assertThat(future.done()).isTrue();
			assertThat(future.result()).isEqualTo(42);
			assertThat(loop.statistics().callbacksRejected()).isEqualTo(rejectedBefore + 1);
			assertThat(LoopFutureTests.this.calls).isEmpty();
		}

		@Test
		@DisplayName("CB-10: setException with callbacks after close completes the future, then throws")
		void setException_withCallbacksAfterClose_completesThenThrows() {
			LoopFuture<Object> future = newFuture();
			future.addDoneCallback(recorder("lost"));
			IllegalStateException failure = new IllegalStateException("late");
			LoopFutureTests.this.loop.close();

			assertThatThrownBy(() -> future.setException(failure)).isExactlyInstanceOf(EventLoopClosedException.class)
				.hasMessage("EventLoop 'test' is closed; LoopFuture[loop=test](failed: IllegalStateException: late) is "
						+ "complete but its done-callbacks cannot run; complete futures before their loop closes");
			assertThat(future.done()).isTrue();
			assertThat(future.exception()).isSameAs(failure);
		}

		@Test
		@DisplayName("CB-10: cancel() with callbacks after close cancels the future, then throws EventLoopClosedException")
		void cancel_withCallbacksAfterClose_cancelsThenThrows() {
			LoopFuture<Object> future = newFuture();
			future.addDoneCallback(recorder("lost"));
			LoopFutureTests.this.loop.close();

			assertThatThrownBy(() -> future.cancel("late")).isExactlyInstanceOf(EventLoopClosedException.class)
				.hasMessage("EventLoop 'test' is closed; LoopFuture[loop=test](cancelled: late) is complete but its "
						+ "done-callbacks cannot run; complete futures before their loop closes");
			assertThat(future.cancelled()).isTrue();
			assertThat(LoopFutureTests.this.calls).isEmpty();
		}

		@Test
		@DisplayName("CB-10: addDoneCallback on a done future whose loop is closed throws EventLoopClosedException")
		void addDoneCallback_doneFutureOfClosedLoop_throws() {
			EventLoop loop = LoopFutureTests.this.loop;
			LoopFuture<Object> future = newFuture();
			future.setResult(1);
			loop.close();
			long rejectedBefore = loop.statistics().callbacksRejected();

			assertThatThrownBy(() -> future.addDoneCallback(recorder("lost")))
				.isExactlyInstanceOf(EventLoopClosedException.class)
				.hasMessage("EventLoop 'test' is closed; LoopFuture[loop=test](done: 1) is complete but its "
						+ "done-callbacks cannot run; complete futures before their loop closes");
			assertThat(loop.statistics().callbacksRejected()).isEqualTo(rejectedBefore + 1);
			assertThat(LoopFutureTests.this.calls).isEmpty();
		}

	}

	/** Every loop-confined method of a future, as a call that takes the future. */
	static Stream<Arguments> confinedMethods() {
		return Stream.of(
				Arguments.of("done", (Call1) LoopFuture::done),
				Arguments.of("cancelled", (Call1) LoopFuture::cancelled),
				Arguments.of("running", (Call1) LoopFuture::running),
				Arguments.of("result", (Call1) LoopFuture::result),
				Arguments.of("exception", (Call1) LoopFuture::exception),
				Arguments.of("excInfo", (Call1) LoopFuture::excInfo),
				Arguments.of("addDoneCallback", (Call1) (future) -> {
					future.addDoneCallback((done) -> {
					});
					return null;
				}),
				Arguments.of("removeDoneCallback", (Call1) (future) -> future.removeDoneCallback((done) -> {
				})),
				Arguments.of("setResult", (Call1) (future) -> {
					future.setResult(1);
					return null;
				}),
				Arguments.of("setException", (Call1) (future) -> {
					future.setException(new IOException("x"));
					return null;
				}),
				Arguments.of("setExcInfo", (Call1) (future) -> {
					future.setExcInfo(ExcInfo.of(new IOException("x")));
					return null;
				}),
				Arguments.of("cancel()", (Call1) LoopFuture::cancel),
				Arguments.of("cancel(message)", (Call1) (future) -> future.cancel("x")));
	}

	@FunctionalInterface
	interface Call1 {

		Object call(LoopFuture<Object> future);

	}

	@Nested
	class Confinement {

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.eddy.concurrent.LoopFutureTests#confinedMethods")
		@DisplayName("DESIGN §2: every confined method called off the loop thread throws IllegalStateException "
				+ "naming the future, the loop, the thread and the fix")
		void confinedMethod_fromAnotherThread_throwsIllegalStateException(String method, Call1 call)
				throws InterruptedException {
			LoopFuture<Object> future = newFuture();

			Throwable thrown = thrownOnThread("http-nio-8080-exec-1", () -> call.call(future));

			assertThat(thrown).isExactlyInstanceOf(IllegalStateException.class)
				.hasMessage(PENDING + CONFINED.formatted("http-nio-8080-exec-1"));
			assertThat(future.done()).isFalse();
			assertThat(LoopFutureTests.this.loop.runUntilIdle()).isZero();
		}

		@Test
		@DisplayName("DESIGN §6: loop(), toString(), equals and hashCode work from any thread")
		void unconfinedMethods_fromAnotherThread_work() throws InterruptedException {
			LoopFuture<Object> future = newFuture();
			LoopFuture<Object> other = newFuture();
			int hashOnLoop = future.hashCode();

			Outcome outcome = onThread("http-nio-8080-exec-2", () -> List.of(future.loop(), future.toString(),
					future.equals(future), future.equals(other), future.hashCode()));

			assertThat(outcome.thrown()).isNull();
			assertThat(listOf(outcome)).containsExactly(LoopFutureTests.this.loop, PENDING, true, false,
					hashOnLoop);
			assertThat(hashOnLoop).isEqualTo(System.identityHashCode(future));
		}

		@Test
		@DisplayName("DESIGN §2: toCompletableFuture() works from any thread; the view is completed from the loop")
		void toCompletableFuture_fromAnotherThread_isCompletedFromTheLoop() throws Exception {
			EventLoop loop = LoopFutureTests.this.loop;
			LoopFuture<Object> future = newFuture();

			Outcome outcome = onThread("http-nio-8080-exec-3", future::toCompletableFuture);

			assertThat(outcome.thrown()).isNull();
			@SuppressWarnings("unchecked")
			CompletableFuture<Object> view = (CompletableFuture<Object>) outcome.value();
			loop.runUntilIdle();
			assertThat(view).isNotDone();
			future.setResult("value");
			loop.runUntilIdle();
			assertThat(view).isCompletedWithValue("value");
		}

	}

	static Stream<Arguments> states() {
		return Stream.of(
				Arguments.of("pending", (Consumer<LoopFuture<Object>>) (future) -> {
				}, "LoopFuture[loop=test](pending)"),
				Arguments.of("result", (Consumer<LoopFuture<Object>>) (future) -> future.setResult(42),
						"LoopFuture[loop=test](done: 42)"),
				Arguments.of("exception",
						(Consumer<LoopFuture<Object>>) (future) -> future.setException(new IOException("disk full")),
						"LoopFuture[loop=test](failed: IOException: disk full)"),
				Arguments.of("exception without message",
						(Consumer<LoopFuture<Object>>) (future) -> future.setException(new IOException()),
						"LoopFuture[loop=test](failed: IOException)"),
				Arguments.of("cancel with message", (Consumer<LoopFuture<Object>>) (future) -> future.cancel("why"),
						"LoopFuture[loop=test](cancelled: why)"),
				Arguments.of("cancel", (Consumer<LoopFuture<Object>>) LoopFuture::cancel, "LoopFuture[loop=test](cancelled)"));
	}

	@Nested
	class ToString {

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.eddy.concurrent.LoopFutureTests#states")
		@DisplayName("DESIGN §2: toString() shows the loop and the state")
		void toString_eachState_showsLoopAndState(String name, Consumer<LoopFuture<Object>> complete, String expected) {
			LoopFuture<Object> future = newFuture();

			complete.accept(future);

			assertThat(future).hasToString(expected);
		}

	}

	@Nested
	class CompletableFutureView {

		@Test
		@DisplayName("DESIGN §6: the view completes with the future's value")
		void toCompletableFuture_result_completesWithTheValue() {
			LoopFuture<Object> future = newFuture();
			CompletableFuture<Object> view = future.toCompletableFuture();
			assertThat(view).isNotDone();

			future.setResult(42);
			LoopFutureTests.this.loop.runUntilIdle();

			assertThat(view).isCompletedWithValue(42);
		}

		@Test
		@DisplayName("DESIGN §6: the view of a done future completes with its value")
		void toCompletableFuture_alreadyDone_completesWithTheValue() {
			LoopFuture<Object> future = newFuture();
			future.setResult(null);

			CompletableFuture<Object> view = future.toCompletableFuture();
			LoopFutureTests.this.loop.runUntilIdle();

			assertThat(view).isCompletedWithValue(null);
		}

		@Test
		@DisplayName("DESIGN §6: each call returns a new view")
		void toCompletableFuture_calledTwice_returnsNewViews() {
			LoopFuture<Object> future = newFuture();

			assertThat(future.toCompletableFuture()).isNotSameAs(future.toCompletableFuture());
		}

		@Test
		@DisplayName("D-3: the view fails with the same exception object, a checked one unwrapped")
		void toCompletableFuture_checkedException_completesWithTheSameException() {
			LoopFuture<Object> future = newFuture();
			CompletableFuture<Object> view = future.toCompletableFuture();
			IOException failure = new IOException("disk full");

			future.setException(failure);
			LoopFutureTests.this.loop.runUntilIdle();

			assertThat(view).isCompletedExceptionally();
			assertThat(view.handle((value, thrown) -> thrown).getNow(null)).isSameAs(failure);
		}

		@Test
		@DisplayName("AF-5: the view fails with the same RuntimeException object")
		void toCompletableFuture_runtimeException_completesWithTheSameException() {
			LoopFuture<Object> future = newFuture();
			CompletableFuture<Object> view = future.toCompletableFuture();
			IllegalStateException failure = new IllegalStateException("boom");

			future.setException(failure);
			LoopFutureTests.this.loop.runUntilIdle();

			assertThat(view.handle((value, thrown) -> thrown).getNow(null)).isSameAs(failure);
			assertThatThrownBy(view::join).isExactlyInstanceOf(CompletionException.class).hasCause(failure);
		}

		@Test
		@DisplayName("AF-9, D-5: the view of a cancelled future is cancelled with the same CancellationException")
		void toCompletableFuture_cancelled_isCancelled() {
			LoopFuture<Object> future = newFuture();
			CompletableFuture<Object> view = future.toCompletableFuture();

			future.cancel("why");
			LoopFutureTests.this.loop.runUntilIdle();

			assertThat(view).isCancelled();
			Throwable cancellation = catchThrowable(future::result);
			assertThat(original(catchThrowable(view::join))).isSameAs(cancellation).hasMessage("why");
		}

		@Test
		@DisplayName("DESIGN §6: join(), get() and get(timeout) on the loop thread of an incomplete view throw "
				+ "IllegalStateException instead of deadlocking")
		void blockingCalls_onLoopThreadWhileIncomplete_throwIllegalStateException() {
			LoopFuture<Object> future = newFuture();
			CompletableFuture<Object> view = future.toCompletableFuture();
			String fix = " on CompletableFuture[source=test](pending) from the thread of EventLoop 'test', which must complete it,"
					+ " would deadlock; use thenAccept/whenComplete or the LoopFuture instead";

			assertThatThrownBy(view::join).isExactlyInstanceOf(IllegalStateException.class).hasMessage("join()" + fix);
			assertThatThrownBy(view::get).isExactlyInstanceOf(IllegalStateException.class).hasMessage("get()" + fix);
			assertThatThrownBy(() -> view.get(1, TimeUnit.MILLISECONDS)).isExactlyInstanceOf(IllegalStateException.class)
				.hasMessage("get(timeout)" + fix);

			future.setResult("ok");
			LoopFutureTests.this.loop.runUntilIdle();
			assertThat(view.join()).isEqualTo("ok");
		}

		@Test
		@DisplayName("DESIGN §2: cancelling the view does not cancel the LoopFuture")
		void cancelView_doesNotCancelTheLoopFuture() {
			LoopFuture<Object> future = newFuture();
			CompletableFuture<Object> view = future.toCompletableFuture();

			assertThat(view.cancel(true)).isTrue();
			LoopFutureTests.this.loop.runUntilIdle();

			assertThat(future.done()).isFalse();
			assertThat(future.cancelled()).isFalse();
			future.setResult(1);
			LoopFutureTests.this.loop.runUntilIdle();
			assertThat(future.result()).isEqualTo(1);
			assertThat(view).isCancelled();
		}

	}

	@Nested
	class CompletedAndFailed {

		@Test
		@DisplayName("DESIGN §6: LoopFuture.completed(v) is done and readable from a thread without a loop")
		void completed_offLoopThread_isDoneWithTheValue() throws InterruptedException {
			Outcome outcome = onThread("worker-1", () -> {
				LoopFuture<Object> future = LoopFuture.completed(42);
				return List.of(future.done(), future.cancelled(), future.running(), future.result(),
						String.valueOf(future.exception()), String.valueOf(future.excInfo()), future.cancel(),
						future.cancel("why"), future.removeDoneCallback((done) -> {
						}), future.toString());
			});

			assertThat(outcome.thrown()).isNull();
			assertThat(listOf(outcome)).containsExactly(true, false, false, 42, "null", "null", false, false, 0,
					"LoopFuture[completed](done: 42)");
		}

		@Test
		@DisplayName("AF-4, T4-15: LoopFuture.completed(null) has the null result")
		void completed_null_isAValidResult() {
			LoopFuture<Object> future = LoopFuture.completed(null);

			assertThat(future.done()).isTrue();
			assertThat(future.result()).isNull();
			assertThat(future.exception()).isNull();
		}

		@Test
		@DisplayName("AF-5, D-3: LoopFuture.failed(t) is done and rethrows from a thread without a loop")
		void failed_offLoopThread_rethrows() throws InterruptedException {
			IllegalStateException runtime = new IllegalStateException("boom");
			IOException checked = new IOException("disk full");

			Outcome outcome = onThread("worker-2", () -> {
				LoopFuture<Object> runtimeFuture = LoopFuture.failed(runtime);
				LoopFuture<Object> checkedFuture = LoopFuture.failed(checked);
				Throwable firstWrapper = catchThrowable(checkedFuture::result);
				return List.of(runtimeFuture.done(), runtimeFuture.cancelled(), runtimeFuture.cancel(),
						catchThrowable(runtimeFuture::result), runtimeFuture.exception(), firstWrapper,
						catchThrowable(checkedFuture::result), checkedFuture.exception(),
						checkedFuture.excInfo().value(), checkedFuture.toString());
			});

			assertThat(outcome.thrown()).isNull();
			List<Object> values = listOf(outcome);
			assertThat(values.subList(0, 3)).containsExactly(true, false, false);
			assertThat(values.get(3)).isSameAs(runtime);
			assertThat(values.get(4)).isSameAs(runtime);
			assertThat(values.get(5)).isExactlyInstanceOf(CompletionException.class);
			assertThat(((Throwable) values.get(5)).getCause()).isSameAs(checked);
			assertThat(values.get(6)).isSameAs(values.get(5));
			assertThat(values.get(7)).isSameAs(checked);
			assertThat(values.get(8)).isSameAs(checked);
			assertThat(values.get(9)).isEqualTo("LoopFuture[completed](failed: IOException: disk full)");
			assertThat(checked.getSuppressed()).isEmpty();
		}

		@Test
		@DisplayName("AF-7: set* on LoopFuture.completed/failed throw InvalidStateException")
		void setters_onCompletedFuture_throwInvalidStateException() {
			LoopFuture<Object> completed = LoopFuture.completed(42);
			LoopFuture<Object> failed = LoopFuture.failed(new IOException("disk full"));
			String immutable = ": the future is already done and keeps its first outcome; "
					+ "LoopFuture.completed/failed futures are immutable";

			assertThatThrownBy(() -> completed.setResult(1)).isExactlyInstanceOf(InvalidStateException.class)
				.hasMessage("setResult on LoopFuture[completed](done: 42)" + immutable);
			assertThatThrownBy(() -> completed.setException(new IOException())).isExactlyInstanceOf(InvalidStateException.class)
				.hasMessage("setException on LoopFuture[completed](done: 42)" + immutable);
			assertThatThrownBy(() -> failed.setExcInfo(ExcInfo.of(new IOException())))
				.isExactlyInstanceOf(InvalidStateException.class)
				.hasMessage("setExcInfo on LoopFuture[completed](failed: IOException: disk full)" + immutable);
			assertThatThrownBy(() -> failed.setExcInfo(new ExcInfo(IOException.class, null, List.of())))
				.isExactlyInstanceOf(IllegalArgumentException.class)
				.hasMessage("setExcInfo called with no exception");
			assertThat(completed.result()).isEqualTo(42);
			assertThat(failed.exception()).isInstanceOf(IOException.class);
		}

		@Test
		@DisplayName("CB-3: addDoneCallback on LoopFuture.completed schedules on the current loop, not inline")
		void addDoneCallback_onLoopThread_runsInTheNextIteration() {
			LoopFuture<Object> future = LoopFuture.completed("v");

			future.addDoneCallback(recorder("cb"));

			assertThat(LoopFutureTests.this.calls).isEmpty();
			assertThat(future.removeDoneCallback(recorder("cb"))).isZero();
			assertThat(LoopFutureTests.this.loop.runOnce()).isEqualTo(1);
			assertThat(LoopFutureTests.this.calls).containsExactly("cb");
			assertThat(LoopFutureTests.this.received).containsExactly(future);
			assertThat(future.loop()).isSameAs(LoopFutureTests.this.loop);
		}

		@Test
		@DisplayName("DESIGN §6: addDoneCallback and loop() on LoopFuture.completed off every loop thread throw "
				+ "IllegalStateException")
		void addDoneCallback_offLoopThread_throwsIllegalStateException() throws InterruptedException {
			LoopFuture<Object> future = LoopFuture.completed(42);

			Throwable fromAdd = thrownOnThread("no-loop", () -> {
				future.addDoneCallback((done) -> {
				});
				return null;
			});
			Throwable fromLoop = thrownOnThread("no-loop", future::loop);

			assertThat(fromAdd).isExactlyInstanceOf(IllegalStateException.class)
				.hasMessage("addDoneCallback on LoopFuture[completed](done: 42) needs a current loop to run the callback, "
						+ "but thread 'no-loop' runs none; call it on a loop thread or use toCompletableFuture()");
			assertThat(fromLoop).isExactlyInstanceOf(IllegalStateException.class)
				.hasMessageStartingWith("There is no current event loop in thread 'no-loop'");
		}

		@Test
		@DisplayName("DESIGN §6: the view of LoopFuture.completed/failed is complete at once")
		void toCompletableFuture_ofCompletedAndFailed_isComplete() {
			IOException failure = new IOException("disk full");

			assertThat(LoopFuture.completed(7).toCompletableFuture()).isCompletedWithValue(7);
			CompletableFuture<Object> failedView = LoopFuture.failed(failure).toCompletableFuture();
			assertThat(failedView.handle((value, thrown) -> thrown).getNow(null)).isSameAs(failure);
		}

	}

	/** Null arguments of the public entry points, on a done future of the loop and on completed/failed. */
	static Stream<Arguments> nullArgumentCalls() {
		return Stream.of(
				Arguments.of("setException(null)", (Call1) (future) -> {
					future.setException(null);
					return null;
				}, "exception"),
				Arguments.of("setExcInfo(null)", (Call1) (future) -> {
					future.setExcInfo(null);
					return null;
				}, "excInfo"),
				Arguments.of("addDoneCallback(null)", (Call1) (future) -> {
					future.addDoneCallback(null);
					return null;
				}, "callback"),
				Arguments.of("removeDoneCallback(null)", (Call1) (future) -> future.removeDoneCallback(null), "callback"));
	}

	@Nested
	class NullArguments {

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.eddy.concurrent.LoopFutureTests#nullArgumentCalls")
		@DisplayName("AF-6: a null argument to a future of the loop throws NullPointerException naming it, "
				+ "before any state check")
		void nullArgument_onDoneLoopFuture_throwsNullPointerExceptionNamingIt(String call, Call1 action,
				String parameter) {
			LoopFuture<Object> future = newFuture();
			future.setResult(1);

			assertThatThrownBy(() -> action.call(future)).isExactlyInstanceOf(NullPointerException.class)
				.hasMessage(parameter);
			assertThat(future.result()).isEqualTo(1);
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.eddy.concurrent.LoopFutureTests#nullArgumentCalls")
		@DisplayName("AF-6: a null argument to LoopFuture.completed(v) throws NullPointerException naming it, "
				+ "like a future of the loop (same interface, same contract)")
		void nullArgument_onCompletedFuture_throwsNullPointerExceptionNamingIt(String call, Call1 action,
				String parameter) {
			LoopFuture<Object> future = LoopFuture.completed(1);

			assertThatThrownBy(() -> action.call(future)).isExactlyInstanceOf(NullPointerException.class)
				.hasMessage(parameter);
		}

	}

	@Nested
	class TaskDecorator {

		private EventLoop decorated;

		private final AtomicBoolean marker = new AtomicBoolean();

		private final List<String> events = new ArrayList<>();

		@BeforeEach
		void openDecoratedLoop() {
			LoopFutureTests.this.loop.close(); // one loop per thread
			this.decorated = EventLoop.builder("d").taskDecorator((runnable) -> () -> {
				this.marker.set(true);
				this.events.add("decorator");
				runnable.run();
			}).onCurrentThread();
		}

		@AfterEach
		void closeDecoratedLoop() {
			this.decorated.close();
		}

		private Consumer<LoopFuture<Object>> callback(String name) {
			return (future) -> {
				this.events.add(name);
				LoopFutureTests.this.received.add(future);
			};
		}

		@Test
		@DisplayName("DESIGN §6: a done-callback runs through the loop's task decorator")
		void addDoneCallback_withTaskDecorator_runsThroughTheDecorator() {
			LoopFuture<Object> future = this.decorated.newFuture();
			future.addDoneCallback(callback("callback"));

			future.setResult(1);

			assertThat(this.marker).isFalse();
			assertThat(this.decorated.runOnce()).isEqualTo(1);
			assertThat(this.marker).isTrue();
			assertThat(this.events).containsExactly("decorator", "callback");
			assertThat(LoopFutureTests.this.received).containsExactly(future);
		}

		@Test
		@DisplayName("CB-3: a done-callback added after completion runs through the task decorator too")
		void addDoneCallback_afterDoneWithTaskDecorator_runsThroughTheDecorator() {
			LoopFuture<Object> future = this.decorated.newFuture();
			future.setResult(1);

			future.addDoneCallback(callback("late"));

			assertThat(this.events).isEmpty();
			assertThat(this.decorated.runOnce()).isEqualTo(1);
			assertThat(this.events).containsExactly("decorator", "late");
		}

		@Test
		@DisplayName("CB-7: removeDoneCallback removes decorated callbacks by their original reference")
		void removeDoneCallback_withTaskDecorator_removesByOriginalReference() {
			LoopFuture<Object> single = this.decorated.newFuture();
			LoopFuture<Object> several = this.decorated.newFuture();
			Consumer<LoopFuture<Object>> a = callback("a");
			single.addDoneCallback(a);
			several.addDoneCallback(a);
			several.addDoneCallback(callback("b"));
			several.addDoneCallback(a);

			assertThat(single.removeDoneCallback(a)).isEqualTo(1);
			assertThat(several.removeDoneCallback(a)).isEqualTo(2);

			single.setResult(1);
			several.setResult(2);
			assertThat(this.decorated.runOnce()).isEqualTo(1);
			assertThat(this.events).containsExactly("decorator", "b");
		}

	}

}
