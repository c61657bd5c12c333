package dev.eddy.internal;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The loop's face ({@link DefaultEventLoop}) where no other Spring-free test reaches it: the
 * scopes of a bindable loop ({@link DefaultEventLoop#bindToOwner()}, which {@code TestLoop}
 * builds on), {@code toString()} in each state, {@code addFuture} of an already completed future,
 * the capacity slot of an {@code addFuture(stage)} whose registration throws, and
 * {@link DefaultEventLoop#dispose} of a task whose fallback throws. The binding cases run on a
 * fresh thread each, so that no loop stays current on a JUnit thread.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DefaultEventLoopTests {

	// ---------------------------------------------------------------- binding

	@Test
	@DisplayName("an unbound loop is current only inside its scope (AF-1); closing the scope twice is a no-op, even from another thread")
	void unboundLoop_currentOnlyInsideItsScope() throws Throwable {
		onFreshThread("binding-owner", () -> {
			DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("unbound").onCurrentThreadUnbound();
			try {
				assertThat(loop.isBindable()).isTrue();
				assertThat(DefaultEventLoop.currentOrNull()).isNull();
				DefaultEventLoop.Binding binding = loop.bindToOwner();
				assertThat(DefaultEventLoop.currentOrNull()).isSameAs(loop);
				assertThat(DefaultEventLoop.current()).isSameAs(loop);
				binding.close();
				assertThat(DefaultEventLoop.currentOrNull()).isNull();
				// A second bind and a closed first scope: the closed scope does nothing any more.
				DefaultEventLoop.Binding again = loop.bindToOwner();
				binding.close();
				assertThat(DefaultEventLoop.currentOrNull()).as("a closed scope closes nothing").isSameAs(loop);
				Throwable offThread = onOtherThread(binding::close);
				assertThat(offThread).as("closing a closed scope on another thread").isNull();
				again.close();
				assertThat(DefaultEventLoop.currentOrNull()).isNull();
			}
			finally {
				loop.close();
			}
		});
	}

	@Test
	@DisplayName("a loop made by onCurrentThread is not bindable: bindToOwner refuses, naming the builder method")
	void onCurrentThreadLoop_isNotBindable() throws Throwable {
		onFreshThread("binding-owner", () -> {
			DefaultEventLoop loop = (DefaultEventLoop) EventLoop.onCurrentThread("plain");
			try {
				assertThat(loop.isBindable()).isFalse();
				assertThat(catchThrowable(loop::bindToOwner)).isInstanceOf(IllegalStateException.class)
					.hasMessage("EventLoop 'plain' is not bindable: only a loop made by EventLoopBuilder.onCurrentThreadUnbound()"
							+ " is made current and released by scope");
				assertThat(DefaultEventLoop.currentOrNull()).isSameAs(loop);
			}
			finally {
				loop.close();
			}
		});
	}

	@Test
	@DisplayName("bindToOwner from another thread, and closing the scope on another thread, are refused naming both threads")
	void bindingOffTheOwningThread_refused() throws Throwable {
		onFreshThread("binding-owner", () -> {
			DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("owned").onCurrentThreadUnbound();
			try {
				Throwable bind = onOtherThread(loop::bindToOwner);
				assertThat(bind).isInstanceOf(IllegalStateException.class)
					.hasMessage("EventLoop 'owned' can be made current only on its owning thread 'binding-owner' but was bound from"
							+ " thread 'other-thread'; create the loop on the thread that drives it");
				assertThat(DefaultEventLoop.currentOrNull()).isNull();

				DefaultEventLoop.Binding binding = loop.bindToOwner();
				Throwable close = onOtherThread(binding::close);
				assertThat(close).isInstanceOf(IllegalStateException.class)
					.hasMessage("The binding of EventLoop 'owned' must be closed on its owning thread 'binding-owner' but was closed"
							+ " on thread 'other-thread'");
				assertThat(DefaultEventLoop.currentOrNull()).as("the refused close left the scope open").isSameAs(loop);
				binding.close();
				assertThat(DefaultEventLoop.currentOrNull()).as("and the owner can still close it").isNull();
			}
			finally {
				loop.close();
			}
		});
	}

	@Test
	@DisplayName("closing a scope makes the loop current before it current again, unless that loop has terminated")
	void closingAScope_restoresThePreviousLoopUnlessTerminated() throws Throwable {
		onFreshThread("binding-owner", () -> {
			DefaultEventLoop outer = (DefaultEventLoop) EventLoop.onCurrentThread("outer");
			DefaultEventLoop inner = (DefaultEventLoop) EventLoop.builder("inner").onCurrentThreadUnbound();
			try {
				DefaultEventLoop.Binding binding = inner.bindToOwner();
				assertThat(DefaultEventLoop.currentOrNull()).isSameAs(inner);
				binding.close();
				assertThat(DefaultEventLoop.currentOrNull()).as("the previous loop is current again").isSameAs(outer);

				DefaultEventLoop.Binding second = inner.bindToOwner();
				outer.close(); // terminates outer; inner stays current
				assertThat(outer.isTerminated()).isTrue();
				assertThat(DefaultEventLoop.currentOrNull()).isSameAs(inner);
				second.close();
				assertThat(DefaultEventLoop.currentOrNull()).as("a terminated previous loop is not made current").isNull();
			}
			finally {
				inner.close();
				outer.close();
			}
		});
	}

	@Test
	@DisplayName("scopes closed out of order: closing one whose loop is no longer current leaves the current loop alone")
	void scopesClosedOutOfOrder() throws Throwable {
		onFreshThread("binding-owner", () -> {
			DefaultEventLoop first = (DefaultEventLoop) EventLoop.builder("first").onCurrentThreadUnbound();
			DefaultEventLoop second = (DefaultEventLoop) EventLoop.builder("second").onCurrentThreadUnbound();
			try {
				DefaultEventLoop.Binding firstScope = first.bindToOwner();
				DefaultEventLoop.Binding secondScope = second.bindToOwner();
				firstScope.close();
				assertThat(DefaultEventLoop.currentOrNull()).as("first is not current: nothing changes").isSameAs(second);
				secondScope.close();
				assertThat(DefaultEventLoop.currentOrNull()).as("second's scope restores what was current before it")
					.isSameAs(first);
			}
			finally {
				first.close();
				second.close();
			}
			assertThat(DefaultEventLoop.currentOrNull()).as("a closed loop is no longer current").isNull();
		});
	}

	// ---------------------------------------------------------------- toString

	@Test
	@DisplayName("toString names the loop and its state: running, closing (close called inside a callback), closed")
	void toStringInEachState() {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.onCurrentThread("shown");
		try {
			assertThat(loop).hasToString("EventLoop[shown](running)");
			List<String> seen = new ArrayList<>();
			loop.execute(() -> {
				loop.close(); // inside an iteration: the close finishes after the callback
				seen.add(loop.toString());
			});
			loop.runOnce();
			assertThat(seen).containsExactly("EventLoop[shown](closing)");
		}
		finally {
			loop.close();
		}
		assertThat(loop.isTerminated()).isTrue();
		assertThat(loop).hasToString("EventLoop[shown](closed)");
	}

	// ---------------------------------------------------------------- addFuture

	@Test
	@DisplayName("addFuture of a completed LoopFuture schedules the callback, decorated, with that future; never inline (CB-3)")
	void addFuture_completedLoopFuture_callbackScheduledWithIt() {
		List<String> decorated = new ArrayList<>();
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("completed").taskDecorator((task) -> () -> {
			decorated.add("decorated");
			task.run();
		}).onCurrentThread();
		try {
			LoopFuture<String> done = LoopFuture.completed("value");
			List<Object> seen = new ArrayList<>();
			loop.addFuture(done, (LoopFuture<String> future) -> seen.add(future.result()));
			assertThat(seen).as("not inline").isEmpty();
			assertThat(loop.runOnce()).isEqualTo(1);
			assertThat(seen).containsExactly("value");
			assertThat(decorated).containsExactly("decorated");
		}
		finally {
			loop.close();
		}
	}

	@Test
	@DisplayName("addFuture(stage) from another thread whose registration throws: the exception is the caller's and the capacity slot is free again")
	void addFutureOfStage_registrationThrows_slotReleased() throws Throwable {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("slot").queueCapacity(1).onCurrentThread();
		try {
			IllegalStateException refusal = new IllegalStateException("whenComplete refused");
			CompletionStage<String> refusing = new CompletableFuture<>() {
				@Override
				public CompletableFuture<String> whenComplete(BiConsumer<? super String, ? super Throwable> action) {
					throw refusal;
				}
			};
			List<String> ran = new ArrayList<>();
			Throwable thrown = onOtherThread(() -> loop.addFuture(refusing, (stage) -> ran.add("callback")));
			assertThat(thrown).isSameAs(refusal);
			Throwable second = onOtherThread(() -> loop.execute(() -> ran.add("next")));
			assertThat(second).as("the one slot of the capacity is free again").isNull();
			loop.runOnce();
			assertThat(ran).containsExactly("next");
		}
		finally {
			loop.close();
		}
	}

	// ---------------------------------------------------------------- close

	@Test
	@DisplayName("close() from another thread wakes the owner parked in run() with nothing to do: the loop terminates")
	void closeFromAnotherThread_wakesTheParkedOwner() throws Exception {
		AtomicReference<DefaultEventLoop> made = new AtomicReference<>();
		java.util.concurrent.CountDownLatch created = new java.util.concurrent.CountDownLatch(1);
		Thread owner = new Thread(() -> {
			DefaultEventLoop loop = (DefaultEventLoop) EventLoop.onCurrentThread("parked");
			made.set(loop);
			created.countDown();
			loop.run(); // returns once the close stops it
			loop.close();
		}, "parked-owner");
		owner.setDaemon(true);
		owner.start();
		assertThat(created.await(10, TimeUnit.SECONDS)).isTrue();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (owner.getState() != Thread.State.WAITING && System.nanoTime() - deadline < 0) {
			Thread.onSpinWait(); // until the owner parks with nothing to do (bounded)
		}
		assertThat(owner.getState()).as("the owner sleeps in run()").isEqualTo(Thread.State.WAITING);
		DefaultEventLoop loop = made.get();
		loop.close();
		assertThat(loop.awaitTermination(java.time.Duration.ofSeconds(10))).as("woken and terminated").isTrue();
		owner.join(10_000);
		assertThat(owner.isAlive()).isFalse();
	}

	// ---------------------------------------------------------------- hand-offs

	@Test
	@DisplayName("a hand-off future done on the loop directly (cancelled by its user, AF-8) is forgotten at once: the loop keeps no reference to it")
	void handOffDoneOnTheLoop_forgottenAtOnce() throws InterruptedException {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.onCurrentThread("forgetting");
		try {
			WeakReference<DefaultLoopFuture<String>> cancelled = cancelledHandOff(loop);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (cancelled.get() != null && System.nanoTime() - deadline < 0) {
				System.gc();
				Thread.sleep(10); // lets the collector clear the reference; the loop itself is bounded
			}
			assertThat(cancelled.get()).as("collected: nothing of the loop holds the done hand-off").isNull();
		}
		finally {
			loop.close();
		}
	}

	private static WeakReference<DefaultLoopFuture<String>> cancelledHandOff(DefaultEventLoop loop) {
		DefaultLoopFuture<String> future = loop.handOffs.create();
		assertThat(future.cancel()).isTrue();
		return new WeakReference<>(future);
	}

	// ---------------------------------------------------------------- dispose

	@Test
	@DisplayName("dispose of new work whose fallback throws: counted rejected, the failure logged naming the task and the loop, accounted for")
	void dispose_fallbackThrows_loggedAndCounted() {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.onCurrentThread("disposing");
		try {
			IllegalStateException broken = new IllegalStateException("fallback broke");
			Runnable task = named("the user's task");
			Runnable combined = DefaultEventLoop.orElse(task, () -> {
				throw broken;
			});
			long rejectedBefore = loop.statistics().callbacksRejected();
			try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
				assertThat(loop.dispose(combined)).isTrue();
				List<ILoggingEvent> errors = log.events().stream().filter((e) -> e.getLevel() == Level.ERROR).toList();
				assertThat(errors).hasSize(1);
				assertThat(errors.get(0).getFormattedMessage())
					.isEqualTo("Handling the rejection of the user's task by closed EventLoop 'disposing' failed");
				assertThat(errors.get(0).getThrowableProxy().getMessage()).isEqualTo("fallback broke");
			}
			assertThat(loop.statistics().callbacksRejected()).isEqualTo(rejectedBefore + 1);
			assertThat(loop.dispose(named("plain"))).as("not a Rejectable: the caller accounts for it").isFalse();
			assertThat(loop.statistics().callbacksRejected()).isEqualTo(rejectedBefore + 1);
		}
		finally {
			loop.close();
		}
	}

	@Test
	@DisplayName("dispose of a task whose fallback runs out of memory rethrows the OutOfMemoryError instead of logging it")
	void dispose_fallbackOutOfMemory_rethrown() {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.onCurrentThread("disposing");
		try {
			OutOfMemoryError oom = new OutOfMemoryError("simulated");
			Runnable combined = DefaultEventLoop.orElse(named("task"), () -> {
				throw oom;
			});
			try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
				assertThat(catchThrowable(() -> loop.dispose(combined))).isSameAs(oom);
				assertThat(log.messages(Level.ERROR)).isEmpty();
			}
		}
		finally {
			loop.close();
		}
	}

	// ---------------------------------------------------------------- helpers

	interface Body {

		void run() throws Throwable;

	}

	private static Runnable named(String name) {
		return new Runnable() {
			@Override
			public void run() {
			}

			@Override
			public String toString() {
				return name;
			}
		};
	}

	/** Runs {@code body} on a new daemon thread of that name, waits (bounded) and rethrows what it threw. */
	private static void onFreshThread(String name, Body body) throws Throwable {
		Throwable thrown = runOn(name, body, 20_000);
		if (thrown != null) {
			throw thrown;
		}
	}

	/** Runs {@code body} on a thread named 'other-thread' and returns what it threw, or null. */
	private static Throwable onOtherThread(Body body) throws InterruptedException {
		return runOn("other-thread", body, 10_000);
	}

	/** Runs {@code body} on a new daemon thread, fails unless it finishes within the bound, and returns what it threw. */
	private static Throwable runOn(String name, Body body, long timeoutMillis) throws InterruptedException {
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		Thread thread = new Thread(() -> {
			try {
				body.run();
			}
			catch (Throwable ex) {
				thrown.set(ex);
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		thread.join(timeoutMillis);
		assertThat(thread.isAlive()).as("thread '%s' finished", name).isFalse();
		return thrown.get();
	}

}
