package dev.eddy.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** {@link TestLoop} and {@link TestLoopExtension}: deterministic steps, current only while bound. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TestLoopTests {

	@Test
	void create_isNotCurrentUntilBound() {
		try (EventLoop loop = TestLoop.create("unbound")) {
			assertThat(EventLoop.currentOrNull()).isNull();
			try (TestLoop.Binding binding = TestLoop.bind(loop)) {
				assertThat(EventLoop.current()).isSameAs(loop);
			}
			assertThat(EventLoop.currentOrNull()).isNull();
		}
	}

	@Test
	void bind_nestedOverAPlainLoop_restoresIt() {
		try (EventLoop plain = EventLoop.onCurrentThread("plain"); EventLoop test = TestLoop.create("test")) {
			try (TestLoop.Binding binding = TestLoop.bind(test)) {
				assertThat(EventLoop.current()).isSameAs(test);
			}
			assertThat(EventLoop.current()).isSameAs(plain);
		}
		assertThat(EventLoop.currentOrNull()).isNull();
	}

	@Test
	void runUntilIdle_whileUnbound_runsCallbacksInPassOrder() {
		try (EventLoop loop = TestLoop.create("steps")) {
			List<String> ran = new ArrayList<>();
			loop.execute(() -> {
				ran.add("first");
				loop.execute(() -> ran.add("next pass")); // CB-4: runs in the next iteration
			});
			assertThat(loop.runOnce()).isEqualTo(1);
			assertThat(ran).containsExactly("first");
			assertThat(loop.runUntilIdle()).isEqualTo(1);
			assertThat(ran).containsExactly("first", "next pass");
		}
	}

	@Test
	void runSync_onTheOwningThreadWhileUnbound_drivesTheLoop() throws Exception {
		try (EventLoop loop = TestLoop.create("sync")) {
			String value = loop.runSync(() -> {
				LoopFuture<String> future = loop.newFuture();
				loop.execute(() -> future.setResult("driven"));
				return future;
			}, Duration.ofSeconds(5));
			assertThat(value).isEqualTo("driven");
		}
	}

	@Test
	void bind_aPlainLoop_failsNamingTheFix() {
		try (EventLoop plain = EventLoop.create("own-thread")) {
			assertThatIllegalArgumentException().isThrownBy(() -> TestLoop.bind(plain))
				.withMessageStartingWith("'loop' must be a test loop made by TestLoop.create(...), was ")
				.withMessageEndingWith("; a loop made by EventLoop.onCurrentThread(...) stays current until closed and cannot be scoped");
		}
	}

	@Test
	void bind_fromAnotherThread_failsNamingBothThreads() throws Exception {
		try (EventLoop loop = TestLoop.create("owned")) {
			String owner = Thread.currentThread().getName();
			AtomicReference<Throwable> thrown = new AtomicReference<>();
			Thread other = new Thread(() -> {
				try {
					TestLoop.bind(loop);
				}
				catch (Throwable ex) {
					thrown.set(ex);
				}
			}, "intruder");
			other.start();
			other.join(5_000);
			assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
				.hasMessage("EventLoop 'owned' can be made current only on its owning thread '" + owner
						+ "' but was bound from thread 'intruder'; create the loop on the thread that drives it");
		}
	}

	@Test
	void closedLoop_leavesNothingCurrent() {
		EventLoop loop = TestLoop.create("closing");
		TestLoop.Binding binding = TestLoop.bind(loop);
		loop.close();
		assertThat(EventLoop.currentOrNull()).isNull();
		binding.close(); // idempotent after close
		assertThat(EventLoop.currentOrNull()).isNull();
	}

	@Nested
	@ExtendWith(TestLoopExtension.class)
	class WithTheExtension {

		EventLoop seenInBeforeEach;

		@org.junit.jupiter.api.BeforeEach
		void before(EventLoop loop) {
			this.seenInBeforeEach = loop;
			assertThat(EventLoop.current()).isSameAs(loop);
		}

		@Test
		void loopIsInjectedCurrentAndDeterministic(EventLoop loop) throws Exception {
			assertThat(loop).isSameAs(this.seenInBeforeEach);
			assertThat(loop.name()).isEqualTo(TestLoopExtension.LOOP_NAME);
			LoopFuture<Integer> future = loop.newFuture();
			CompletableFuture<Integer> view = future.toCompletableFuture();
			future.setResult(7);
			assertThat(view).isNotDone(); // CB-1: completion reaches the view through the loop
			loop.runUntilIdle();
			assertThat(view.get(1, TimeUnit.SECONDS)).isEqualTo(7);
		}

		@AfterEach
		void after(EventLoop loop) {
			assertThat(EventLoop.current()).isSameAs(loop);
		}

	}

	@Test
	void extension_leavesNoLoopBehind() {
		assertThat(EventLoop.currentOrNull()).isNull();
	}

}
