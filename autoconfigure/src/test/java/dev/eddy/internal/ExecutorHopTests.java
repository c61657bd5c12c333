package dev.eddy.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import dev.eddy.loop.HandOffExecutor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one road to a pool ({@link ExecutorHop}) that {@code runInExecutor} and the
 * {@code @RunOnExecutor} dispatcher share: the outcome is delivered first, a throw reaches only a
 * {@link HandOffExecutor} (so that it counts a failure), a refusal and an abandon are delivered
 * instead of leaving a future pending (D-6, ROE-9).
 */
class ExecutorHopTests {

	/** Records what became of the work. */
	static final class Recorder implements ExecutorHop.Delivery<String> {

		final List<String> events = new ArrayList<>();

		@Override
		public void succeeded(@Nullable String value) {
			this.events.add("succeeded " + value);
		}

		@Override
		public void failed(Throwable failure) {
			this.events.add("failed " + failure);
		}

		@Override
		public void abandoned(CancellationException reason) {
			this.events.add("abandoned " + reason.getMessage());
		}

		@Override
		public void refused(Throwable failure) {
			this.events.add("refused " + failure.getMessage());
		}

	}

	/** Runs the task inline and keeps it and its abandon callback. */
	static final class InlineHandOff implements HandOffExecutor {

		@Nullable Runnable task;

		@Nullable Consumer<? super CancellationException> onAbandon;

		@Override
		public void execute(Runnable task, Consumer<? super CancellationException> onAbandon) {
			this.task = task;
			this.onAbandon = onAbandon;
		}

		@Override
		public void execute(Runnable task) {
			throw new AssertionError("a HandOffExecutor gets the two-argument execute");
		}

	}

	@Test
	@DisplayName("a plain executor: the value is delivered, and a throw of the work is delivered and never reaches the executor")
	void plainExecutor_deliversAndKeepsTheThrowInside() {
		Recorder recorder = new Recorder();
		List<Runnable> submitted = new ArrayList<>();
		Executor plain = submitted::add;
		Hops.send(plain, () -> "v", recorder, null, "work");
		IllegalStateException boom = new IllegalStateException("boom");
		Hops.send(plain, () -> {
			throw boom;
		}, recorder, null, "work");
		submitted.forEach(Runnable::run); // nothing thrown
		assertThat(recorder.events).containsExactly("succeeded v", "failed " + boom);
	}

	@Test
	@DisplayName("a HandOffExecutor: the throw is delivered first, then rethrown to it (a checked one wrapped) so that it counts a failure")
	void handOffExecutor_deliversThenRethrows() {
		Recorder recorder = new Recorder();
		InlineHandOff pool = new InlineHandOff();
		IOException checked = new IOException("io");
		Hops.send(pool, () -> {
			throw checked;
		}, recorder, null, "work");
		Runnable task = pool.task;
		assertThat(task).isNotNull();
		assertThatThrownBy(task::run).isInstanceOf(CompletionException.class).hasCause(checked);
		assertThat(recorder.events).containsExactly("failed " + checked);

		IllegalStateException unchecked = new IllegalStateException("boom");
		Hops.send(pool, () -> {
			throw unchecked;
		}, recorder, null, "work");
		assertThatThrownBy(pool.task::run).isSameAs(unchecked);
	}

	@Test
	@DisplayName("a pool that abandons the task at shutdown tells the delivery through the abandon callback")
	void handOffExecutor_abandon_isDelivered() {
		Recorder recorder = new Recorder();
		InlineHandOff pool = new InlineHandOff();
		Hops.send(pool, () -> "never", recorder, null, "work");
		Consumer<? super CancellationException> onAbandon = pool.onAbandon;
		assertThat(onAbandon).isNotNull();
		onAbandon.accept(new CancellationException("pool 'io' shut down"));
		assertThat(recorder.events).containsExactly("abandoned pool 'io' shut down");
	}

	@Test
	@DisplayName("an executor that refuses the task: the refusal is delivered, not thrown past the hop")
	void refusal_isDelivered() {
		Recorder recorder = new Recorder();
		Executor full = (task) -> {
			throw new RejectedExecutionException("full");
		};
		Hops.send(full, () -> "never", recorder, null, "work");
		assertThat(recorder.events).containsExactly("refused full");
	}

	@Test
	@DisplayName("the task names the user's work, decorated on the calling thread when a decoration is given")
	void task_isNamedAndDecorated() {
		Recorder recorder = new Recorder();
		List<Runnable> submitted = new ArrayList<>();
		List<String> decorated = new ArrayList<>();
		Hops.send(submitted::add, () -> "v", recorder, (task) -> {
			decorated.add(task.toString());
			return task;
		}, "@RunOnExecutor Service#call");
		assertThat(decorated).containsExactly("@RunOnExecutor Service#call");
		assertThat(submitted.get(0)).hasToString("@RunOnExecutor Service#call");
	}

}
