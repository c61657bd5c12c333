package dev.eddy.internal;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop's ready queue ({@link ReadyQueue}) on its own: strict FIFO (CB-4) across the ring's
 * wrap-around and across growth, which is what the loop's iteration relies on.
 */
class ReadyQueueTests {

	@Test
	@DisplayName("empty: poll() is null, size 0; one in, one out")
	void emptyAndSingle() {
		ReadyQueue queue = new ReadyQueue();
		assertThat(queue.isEmpty()).isTrue();
		assertThat(queue.size()).isZero();
		assertThat(queue.poll()).isNull();
		queue.add("a");
		assertThat(queue.isEmpty()).isFalse();
		assertThat(queue.size()).isEqualTo(1);
		assertThat(queue.poll()).isEqualTo("a");
		assertThat(queue.isEmpty()).isTrue();
		assertThat(queue.size()).isZero();
		assertThat(queue.poll()).isNull();
	}

	@Test
	@DisplayName("FIFO across many wrap-arounds of the 64-slot ring, without growth")
	void fifoAcrossWrapAround() {
		ReadyQueue queue = new ReadyQueue();
		int next = 0;
		int expected = 0;
		for (int round = 0; round < 10; round++) {
			for (int i = 0; i < 40; i++) {
				queue.add(next++);
			}
			for (int i = 0; i < 40; i++) {
				assertThat(queue.poll()).isEqualTo(expected++);
			}
			assertThat(queue.size()).isZero();
		}
		assertThat(queue.poll()).isNull();
	}

	@Test
	@DisplayName("grows when full at any head position, keeping FIFO order and the size")
	void growsKeepingOrder() {
		for (int offset = 0; offset < 64; offset += 7) {
			ReadyQueue queue = new ReadyQueue();
			for (int i = 0; i < offset; i++) {
				queue.add(-1);
				assertThat(queue.poll()).isEqualTo(-1); // moves the head
			}
			List<Object> out = new ArrayList<>();
			for (int i = 0; i < 300; i++) { // past 64 and 128 and 256: three growths
				queue.add(i);
				assertThat(queue.size()).isEqualTo(i + 1);
			}
			Object item;
			while ((item = queue.poll()) != null) {
				out.add(item);
			}
			assertThat(out).hasSize(300);
			for (int i = 0; i < 300; i++) {
				assertThat(out.get(i)).as("offset %d, item %d", offset, i).isEqualTo(i);
			}
		}
	}

	@Test
	@DisplayName("grown while wrapped, then wrapped again: still FIFO")
	void interleavedAfterGrowth() {
		ReadyQueue queue = new ReadyQueue();
		int next = 0;
		int expected = 0;
		for (int round = 0; round < 50; round++) {
			for (int i = 0; i < 3; i++) {
				queue.add(next++);
			}
			assertThat(queue.poll()).isEqualTo(expected++);
		}
		assertThat(queue.size()).isEqualTo(100);
		while (!queue.isEmpty()) {
			assertThat(queue.poll()).isEqualTo(expected++);
		}
		assertThat(expected).isEqualTo(150);
	}

}
