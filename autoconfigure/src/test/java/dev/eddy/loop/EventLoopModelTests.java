package dev.eddy.loop;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.LongStream;

import dev.eddy.concurrent.InvalidStateException;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded random operations on an {@link EventLoop#onCurrentThread} loop and its
 * {@link LoopFuture}s, compared after every step with a small reference model of asyncio's
 * semantics: one FIFO ready queue; completion schedules the callbacks registered so far, in
 * registration order; a callback added to a done future is scheduled at once; removal before
 * completion removes every equal registration; an iteration runs only what was queued when it
 * began (CB-1, CB-3..CB-8, AF-2, AF-5, AF-7..AF-9).
 * <p>A failure message names the seed and the step; rerun that seed alone to reproduce it.
 */
class EventLoopModelTests {

	private static final int SEEDS = 200;

	private static final int STEPS = 300;

	/** Futures operations choose from: the most recently created few, so that some stay pending. */
	private static final int WINDOW = 6;

	private static final UnobservedFailureDetector QUIET = UnobservedFailureDetector.builder()
		.level(UnobservedFailureDetector.Level.DISABLED)
		.build();

	@AfterAll
	static void closeDetector() {
		QUIET.close();
	}

	static LongStream seeds() {
		return LongStream.range(0, SEEDS).map((i) -> 0x9E3779B97F4A7C15L * (i + 1));
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	@Timeout(value = 20, unit = TimeUnit.SECONDS)
	@DisplayName("CB-4: random future and loop operations agree with the reference model after every step")
	void randomOperations_matchReferenceModel(long seed) {
		EventLoop loop = EventLoop.builder("model").unobservedFailureDetector(QUIET).onCurrentThread();
		try {
			new Run(seed, loop).run();
		}
		finally {
			loop.close();
		}
	}

	private enum State {

		PENDING, SUCCEEDED, FAILED, CANCELLED

	}

	private enum Kind {

		/** Only records that it ran. */
		RECORD,
		/** Also queues a marker with {@code loop.execute} while the iteration runs. */
		SPAWN,
		/** Also completes another future, if still pending, while the iteration runs. */
		COMPLETE_OTHER,
		/** Also adds a child callback to the (done) future it received. */
		CHAIN

	}

	/** A registered callback object; equality is identity, as for lambdas. */
	private static final class Callback {

		final int id;

		final Kind kind;

		final int target;

		final Callback child;

		Consumer<LoopFuture<Integer>> real;

		Callback(int id, Kind kind, int target, Callback child) {
			this.id = id;
			this.kind = kind;
			this.target = target;
			this.child = child;
		}

	}

	private static final class ModelFuture {

		State state = State.PENDING;

		Integer value;

		Throwable exception;

		String cancelMessage;

		/** First CompletionException seen from result() for a checked exception; D-3 says it is reused. */
		RuntimeException wrapper;

		final List<Callback> callbacks = new ArrayList<>();

	}

	/** One entry of a model ready-queue slot: a marker (callback null) or a done-callback. */
	private record Item(String label, Callback callback, int future) {
	}

	private static final class Run {

		private final long seed;

		private final SplittableRandom random;

		private final EventLoop loop;

		private final List<LoopFuture<Integer>> real = new ArrayList<>();

		private final List<ModelFuture> model = new ArrayList<>();

		private final List<Callback> callbacks = new ArrayList<>();

		/** What the real callbacks and markers recorded, in the order they ran. */
		private final List<String> ranReal = new ArrayList<>();

		private final ArrayDeque<List<Item>> ready = new ArrayDeque<>();

		private final ArrayDeque<String> history = new ArrayDeque<>();

		private int step;

		private int nextCallbackId;

		private int nextMarker;

		Run(long seed, EventLoop loop) {
			this.seed = seed;
			this.random = new SplittableRandom(seed);
			this.loop = loop;
		}

		void run() {
			newFuture();
			for (this.step = 0; this.step < STEPS; this.step++) {
				doOneStep();
				compareAll();
			}
			// finally, everything queued runs to the end in both
			this.step = STEPS;
			for (int i = 0; i < 100 && !this.ready.isEmpty(); i++) {
				log("runOnce (final)");
				runOnce();
			}
			assertThat(this.ready).as(where()).isEmpty();
			assertThat(this.loop.runOnce()).as(where() + ": nothing left in the real loop").isZero();
		}

		private String where() {
			return "seed=" + this.seed + " step=" + this.step + "; last operations (oldest first): " + this.history;
		}

		private void log(String operation) {
			this.history.addLast("#" + this.step + " " + operation);
			if (this.history.size() > 12) {
				this.history.removeFirst();
			}
		}

		private int pickFuture() {
			int size = this.real.size();
			return size - 1 - this.random.nextInt(Math.min(WINDOW, size));
		}

		private void doOneStep() {
			int dice = this.random.nextInt(100);
			if (dice < 6) {
				newFuture();
			}
			else if (dice < 18) {
				setResult(pickFuture());
			}
			else if (dice < 25) {
				setException(pickFuture());
			}
			else if (dice < 32) {
				cancel(pickFuture());
			}
			else if (dice < 52) {
				addDoneCallback(pickFuture());
			}
			else if (dice < 60) {
				removeDoneCallback(pickFuture());
			}
			else if (dice < 70) {
				executeMarker();
			}
			else if (dice < 86) {
				runOnce();
			}
			else {
				observe(pickFuture());
			}
			if (!this.history.getLast().contains("runOnce")) {
				assertThat(this.ranReal).as(where() + ": nothing may run inline (CB-1, CB-3)").isEmpty();
			}
		}

		// ------------------------------------------------------------ operations

		private void newFuture() {
			log("newFuture -> f" + this.real.size());
			LoopFuture<Integer> future = this.loop.newFuture();
			this.real.add(future);
			this.model.add(new ModelFuture());
		}

		private void setResult(int index) {
			Integer value = (this.random.nextInt(10) == 0) ? null : this.random.nextInt(100);
			log("f" + index + ".setResult(" + value + ")");
			ModelFuture expected = this.model.get(index);
			boolean shouldWork = expected.state == State.PENDING;
			Throwable thrown = attempt(() -> this.real.get(index).setResult(value));
			if (shouldWork) {
				assertThat(thrown).as(where()).isNull();
				expected.state = State.SUCCEEDED;
				expected.value = value;
				schedule(index);
			}
			else {
				assertThat(thrown).as(where() + ": completing twice (AF-7)").isExactlyInstanceOf(InvalidStateException.class);
			}
		}

		private void setException(int index) {
			Throwable exception = this.random.nextBoolean() ? new IllegalStateException("failure at step " + this.step)
					: new Exception("checked failure at step " + this.step);
			log("f" + index + ".setException(" + exception + ")");
			ModelFuture expected = this.model.get(index);
			boolean shouldWork = expected.state == State.PENDING;
			Throwable thrown = attempt(() -> this.real.get(index).setException(exception));
			if (shouldWork) {
				assertThat(thrown).as(where()).isNull();
				expected.state = State.FAILED;
				expected.exception = exception;
				schedule(index);
			}
			else {
				assertThat(thrown).as(where() + ": completing twice (AF-7)").isExactlyInstanceOf(InvalidStateException.class);
			}
		}

		private void cancel(int index) {
			String message = this.random.nextBoolean() ? "cancelled at step " + this.step : null;
			log("f" + index + ".cancel(" + message + ")");
			ModelFuture expected = this.model.get(index);
			boolean shouldWork = expected.state == State.PENDING;
			LoopFuture<Integer> future = this.real.get(index);
			boolean result = (message != null) ? future.cancel(message) : future.cancel();
			assertThat(result).as(where() + ": cancel returns whether it was pending (AF-8, AF-10)").isEqualTo(shouldWork);
			if (shouldWork) {
				expected.state = State.CANCELLED;
				expected.cancelMessage = message;
				schedule(index);
			}
		}

		private void addDoneCallback(int index) {
			Callback callback;
			if (!this.callbacks.isEmpty() && this.random.nextInt(10) < 3) {
				callback = this.callbacks.get(this.random.nextInt(this.callbacks.size())); // CB-6: twice runs twice
			}
			else {
				callback = newCallback();
			}
			log("f" + index + ".addDoneCallback(c" + callback.id + " " + callback.kind
					+ ((callback.kind == Kind.COMPLETE_OTHER) ? " f" + callback.target : "")
					+ ((callback.kind == Kind.CHAIN) ? " child c" + callback.child.id : "") + ")");
			this.real.get(index).addDoneCallback(callback.real);
			addCallbackToModel(index, callback);
		}

		private void removeDoneCallback(int index) {
			if (this.callbacks.isEmpty()) {
				log("f" + index + ".removeDoneCallback(new callback)");
				assertThat(this.real.get(index).removeDoneCallback((f) -> {
				})).as(where()).isZero();
				return;
			}
			Callback callback = this.callbacks.get(this.random.nextInt(this.callbacks.size()));
			log("f" + index + ".removeDoneCallback(c" + callback.id + ")");
			ModelFuture expected = this.model.get(index);
			int expectedRemoved = 0;
			if (expected.state == State.PENDING) {
				int before = expected.callbacks.size();
				expected.callbacks.removeIf((registered) -> registered == callback);
				expectedRemoved = before - expected.callbacks.size();
			}
			assertThat(this.real.get(index).removeDoneCallback(callback.real))
				.as(where() + ": removeDoneCallback count (CB-7, CB-8)")
				.isEqualTo(expectedRemoved);
		}

		private void executeMarker() {
			String label = "m" + this.nextMarker++;
			log("execute(" + label + ")");
			this.loop.execute(marker(label));
			this.ready.addLast(List.of(new Item(label, null, -1)));
		}

		private void runOnce() {
			log("runOnce");
			List<String> expected = new ArrayList<>();
			for (int todo = this.ready.size(); todo > 0; todo--) {
				for (Item item : this.ready.removeFirst()) {
					runInModel(item, expected);
				}
			}
			this.ranReal.clear();
			int ran = this.loop.runOnce();
			assertThat(this.ranReal).as(where() + ": callbacks of this iteration, in order (CB-4, CB-5)")
				.containsExactlyElementsOf(expected);
			assertThat(ran).as(where() + ": runOnce's count").isEqualTo(expected.size());
			this.ranReal.clear();
		}

		private void observe(int index) {
			LoopFuture<Integer> future = this.real.get(index);
			ModelFuture expected = this.model.get(index);
			boolean viaResult = this.random.nextBoolean();
			log("f" + index + (viaResult ? ".result()" : ".exception()"));
			Object returned = null;
			Throwable thrown = null;
			try {
				returned = viaResult ? future.result() : future.exception();
			}
			catch (Throwable ex) {
				thrown = ex;
			}
			String what = where() + ": " + (viaResult ? "result()" : "exception()") + " of f" + index + " in state "
					+ expected.state;
			switch (expected.state) {
				case PENDING -> assertThat(thrown).as(what + " (AF-2)").isExactlyInstanceOf(InvalidStateException.class);
				case SUCCEEDED -> {
					assertThat(thrown).as(what).isNull();
					assertThat(returned).as(what + " (AF-4)").isEqualTo(viaResult ? expected.value : null);
				}
				case CANCELLED -> assertThat(thrown).as(what + " (AF-8, AF-9)")
					.isExactlyInstanceOf(CancellationException.class)
					.hasMessage(expected.cancelMessage);
				case FAILED -> {
					if (!viaResult) {
						assertThat(thrown).as(what).isNull();
						assertThat(returned).as(what + " (AF-5)").isSameAs(expected.exception);
					}
					else if (expected.exception instanceof RuntimeException) {
						assertThat(thrown).as(what + " (AF-5)").isSameAs(expected.exception);
					}
					else {
						assertThat(thrown).as(what + " (D-3)")
							.isExactlyInstanceOf(CompletionException.class)
							.hasCause(expected.exception);
						assertThat(thrown.getCause()).as(what).isSameAs(expected.exception);
						if (expected.wrapper == null) {
							expected.wrapper = (RuntimeException) thrown;
						}
						assertThat(thrown).as(what + ": the same wrapper on every call").isSameAs(expected.wrapper);
					}
				}
			}
		}

		// ------------------------------------------------------------ model mechanics

		private Callback newCallback() {
			Kind kind = Kind.values()[this.random.nextInt(Kind.values().length)];
			int id = this.nextCallbackId++;
			Callback child = null;
			if (kind == Kind.CHAIN) {
				child = new Callback(this.nextCallbackId++, Kind.RECORD, -1, null);
				child.real = realCallback(child);
			}
			Callback callback = new Callback(id, kind, (kind == Kind.COMPLETE_OTHER) ? pickFuture() : -1, child);
			callback.real = realCallback(callback);
			this.callbacks.add(callback);
			if (child != null) {
				this.callbacks.add(child);
			}
			return callback;
		}

		/** The real done-callback: records "c<id>@f<index>", then does what its kind says. */
		private Consumer<LoopFuture<Integer>> realCallback(Callback callback) {
			return (future) -> {
				this.ranReal.add(label(callback, indexOf(future)));
				switch (callback.kind) {
					case SPAWN -> this.loop.execute(marker("s" + callback.id));
					case COMPLETE_OTHER -> {
						LoopFuture<Integer> target = this.real.get(callback.target);
						if (!target.done()) {
							target.setResult(1000 + callback.id);
						}
					}
					case CHAIN -> future.addDoneCallback(callback.child.real);
					default -> {
					}
				}
			};
		}

		private void runInModel(Item item, List<String> ran) {
			ran.add(item.label());
			Callback callback = item.callback();
			if (callback == null) {
				return;
			}
			switch (callback.kind) {
				case SPAWN -> this.ready.addLast(List.of(new Item("s" + callback.id, null, -1)));
				case COMPLETE_OTHER -> {
					ModelFuture target = this.model.get(callback.target);
					if (target.state == State.PENDING) {
						target.state = State.SUCCEEDED;
						target.value = 1000 + callback.id;
						schedule(callback.target);
					}
				}
				case CHAIN -> addCallbackToModel(item.future(), callback.child);
				default -> {
				}
			}
		}

		private void addCallbackToModel(int index, Callback callback) {
			ModelFuture future = this.model.get(index);
			if (future.state == State.PENDING) {
				future.callbacks.add(callback);
			}
			else {
				this.ready.addLast(List.of(new Item(label(callback, index), callback, index))); // CB-3
			}
		}

		/** Completion: the callbacks registered so far go to the ready queue in order (CB-1, CB-8). */
		private void schedule(int index) {
			ModelFuture future = this.model.get(index);
			if (future.callbacks.isEmpty()) {
				return;
			}
			List<Item> slot = new ArrayList<>();
			for (Callback callback : future.callbacks) {
				slot.add(new Item(label(callback, index), callback, index));
			}
			future.callbacks.clear();
			this.ready.addLast(slot);
		}

		private void compareAll() {
			for (int i = 0; i < this.real.size(); i++) {
				LoopFuture<Integer> future = this.real.get(i);
				ModelFuture expected = this.model.get(i);
				String what = where() + ": state of f" + i;
				assertThat(future.done()).as(what + " done()").isEqualTo(expected.state != State.PENDING);
				assertThat(future.running()).as(what + " running()").isEqualTo(expected.state == State.PENDING);
				assertThat(future.cancelled()).as(what + " cancelled()").isEqualTo(expected.state == State.CANCELLED);
				if (expected.state == State.SUCCEEDED) {
					assertThat(future.result()).as(what + " result()").isEqualTo(expected.value);
				}
			}
		}

		// ------------------------------------------------------------ helpers

		private Runnable marker(String label) {
			return () -> this.ranReal.add(label);
		}

		private int indexOf(LoopFuture<Integer> future) {
			for (int i = 0; i < this.real.size(); i++) {
				if (this.real.get(i) == future) {
					return i;
				}
			}
			fail(where() + ": a callback received a future that is not one of the test's: " + future);
			return -1;
		}

		private static String label(Callback callback, int future) {
			return "c" + callback.id + "@f" + future;
		}

		private static Throwable attempt(Runnable action) {
			try {
				action.run();
				return null;
			}
			catch (Throwable ex) {
				return ex;
			}
		}

	}

}
