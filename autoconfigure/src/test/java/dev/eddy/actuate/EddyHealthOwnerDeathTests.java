package dev.eddy.actuate;

import java.util.concurrent.atomic.AtomicReference;

import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Health on the first read after the owner thread of an onCurrentThread loop ended: dead, with the cause. */
class EddyHealthOwnerDeathTests {

	@Test
	void anOnCurrentThreadLoopWhoseOwnerEnded_isDeadOnTheFirstRead() throws Exception {
		AtomicReference<EventLoop> made = new AtomicReference<>();
		Thread owner = new Thread(() -> made.set(EventLoop.onCurrentThread("owned")));
		owner.start();
		owner.join();
		EventLoop loop = made.get();
		String first = EddyHealthIndicator.state(loop);
		String second = EddyHealthIndicator.state(loop);
		assertThat(first + " then " + second).isEqualTo("dead then dead");
	}

}
