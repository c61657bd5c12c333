package dev.eddy.benchmarks;

import java.util.function.Consumer;

/**
 * The floor under Eddy's rows in {@link FutureCallbackBenchmark}: the least that any future can
 * do which, like Eddy's, never runs a callback inline (TORNADO-SEMANTICS CB-1, CB-3) but queues
 * it for the loop's next pass. It keeps only what those two statements require: a 32-byte
 * future (as Eddy's), the callback parked on it, a ring of ready futures, and a pass that runs
 * what was ready.
 * <p>It drops everything else a real loop owes its users: no thread check, no lifecycle, no
 * counters, no failure containment, no unobserved-failure duty, no interrupt hygiene, one
 * callback per future (a second is refused, not dropped). It is not a usable future. Its use
 * is the question the targets raise: if even this floor is not 3.5x faster than
 * {@code CompletableFuture}, which runs the callback inline, then no deferring future is, and the target cannot be met without breaking CB-3.
 * <p>Not thread-safe: one thread makes, completes and drives everything, as in the benchmark.
 */
final class DeferredFloor {

	private Object[] ring = new Object[64];

	private int head;

	private int size;

	<T> Future<T> newFuture() {
		return new Future<>(this);
	}

	/** Runs the futures that were ready when the pass began. */
	int runOnce() {
		int ran = 0;
		for (int todo = this.size; todo > 0; todo--) {
			Future<?> future = (Future<?>) this.ring[this.head];
			this.ring[this.head] = null;
			this.head = (this.head + 1) & (this.ring.length - 1);
			this.size--;
			future.deliver();
			ran++;
		}
		return ran;
	}

	private void schedule(Future<?> future) {
		if (this.size == this.ring.length) {
			grow();
		}
		this.ring[(this.head + this.size) & (this.ring.length - 1)] = future;
		this.size++;
	}

	private void grow() {
		Object[] bigger = new Object[this.ring.length * 2];
		for (int i = 0; i < this.size; i++) {
			bigger[i] = this.ring[(this.head + i) & (this.ring.length - 1)];
		}
		this.ring = bigger;
		this.head = 0;
	}

	/** 32 bytes with compressed pointers: header 12, three references, one flag, padding. */
	static final class Future<T> {

		private final DeferredFloor loop;

		private Object value;

		private Consumer<? super Future<T>> callback;

		private boolean done;

		Future(DeferredFloor loop) {
			this.loop = loop;
		}

		void addDoneCallback(Consumer<? super Future<T>> callback) {
			if (this.callback != null) {
				throw new IllegalStateException("DeferredFloor keeps one callback per future; a second would replace the first");
			}
			this.callback = callback;
			if (this.done) {
				this.loop.schedule(this); // CB-3: a callback added to a done future runs in the next pass
			}
		}

		void setResult(T value) {
			this.value = value;
			this.done = true;
			if (this.callback != null) {
				this.loop.schedule(this); // CB-1: never inline
			}
		}

		private void deliver() {
			Consumer<? super Future<T>> delivered = this.callback;
			this.callback = null;
			delivered.accept(this);
		}

	}

}
