package dev.eddy.internal;

import org.jspecify.annotations.Nullable;

/**
 * The loop's FIFO ready queue: a ring buffer that grows before it changes anything. Unlike
 * {@code ArrayDeque}, whose {@code addLast} stores the element and then grows, a
 * {@code StackOverflowError} (or {@code OutOfMemoryError}) while growing leaves it exactly as it
 * was, so a completion at the stack's edge can never make queued callbacks disappear.
 * <p>Loop-confined: call only on the owning loop's thread ({@link #size()} may be read racily).
 */
final class ReadyQueue {

	private @Nullable Object[] items = new Object[64]; // loop thread only; length a power of two

	private int head; // loop thread only

	private int size; // loop thread only; read racily by the pending() gauge

	void add(Object item) {
		if (this.size == this.items.length) {
			grow(); // may throw; nothing has changed yet
		}
		@Nullable Object[] array = this.items;
		array[(this.head + this.size) & (array.length - 1)] = item;
		this.size++;
	}

	@Nullable Object poll() {
		if (this.size == 0) {
			return null;
		}
		@Nullable Object[] array = this.items;
		Object item = array[this.head];
		array[this.head] = null;
		this.head = (this.head + 1) & (array.length - 1);
		this.size--;
		return item;
	}

	boolean isEmpty() {
		return this.size == 0;
	}

	int size() {
		return this.size;
	}

	private void grow() {
		@Nullable Object[] array = this.items;
		@Nullable Object[] bigger = new Object[array.length * 2];
		for (int i = 0; i < this.size; i++) {
			bigger[i] = array[(this.head + i) & (array.length - 1)];
		}
		this.items = bigger;
		this.head = 0;
	}

}
