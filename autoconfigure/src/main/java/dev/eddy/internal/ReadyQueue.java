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

	/**
	 * Polls after which an emptied ring is replaced by a fresh one of the same length. Why: under
	 * G1 (the JVM's default collector) storing a reference into an object of the old generation
	 * costs a full fence in the write barrier (JDK 25 and earlier), and a long-lived ring soon is
	 * old, so every callback queued paid one. A fresh ring lives in the young generation, where
	 * the barrier stops before its fence, and one replaced every 16,384 callbacks never lives long
	 * enough to be promoted on a busy loop. Costs one allocation of the ring's size per 16,384
	 * polls (0.02 B per callback for the initial 64 slots); other collectors are unaffected. See
	 * benchmarks/RESULTS.md for the measurement.
	 */
	static final int RENEW_AFTER_POLLS = 1 << 14;

	private @Nullable Object[] items = new Object[64]; // loop thread only; length a power of two

	private int head; // loop thread only

	private int size; // loop thread only; read racily by the pending() gauge

	private int pollsSinceRenewal; // loop thread only

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
		if (++this.pollsSinceRenewal >= RENEW_AFTER_POLLS && this.size == 1 && renew(array.length)) {
			this.size = 0;
			return item; // the fresh ring holds nothing; the old one, item included, is garbage
		}
		array[this.head] = null;
		this.head = (this.head + 1) & (array.length - 1);
		this.size--;
		return item;
	}

	/**
	 * Replaces the ring, which holds only the item being polled, by a fresh one (see
	 * {@link #RENEW_AFTER_POLLS}). Changes nothing when the allocation fails: the renewal is an
	 * optimization, and a poll must never lose its item.
	 * @return whether the ring was replaced
	 */
	private boolean renew(int length) {
		this.pollsSinceRenewal = 0;
		@Nullable Object[] fresh;
		try {
			fresh = new Object[length];
		}
		catch (OutOfMemoryError ex) {
			return false; // keep the old ring; the caller polls from it as usual
		}
		this.items = fresh;
		this.head = 0;
		return true;
	}

	boolean isEmpty() {
		return this.size == 0;
	}

	int size() {
		return this.size;
	}

	/** @return the ring itself, for tests that check when it is renewed */
	@Nullable Object[] ring() {
		return this.items;
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
