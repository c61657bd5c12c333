package dev.eddy.internal;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.Level;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link HandOffs} keeps, read through its two private sets: a hand-off future that is done
 * waits for nothing any more and leaves both sets at once, whoever completed it (else a loop that
 * runs for days would keep every {@code fromCallback} and {@code runInExecutor} future it ever
 * made until its close); and once a loop whose owner thread ended abandoned its hand-offs, a late
 * outcome is dropped quietly (ROE-9), not delivered to the dead loop and counted as rejected.
 */
class HandOffsBookkeepingTests {

	private static int pending(HandOffs handOffs) throws ReflectiveOperationException {
		return ((Set<?>) field("pending").get(handOffs)).size();
	}

	private static int notAwaited(HandOffs handOffs) throws ReflectiveOperationException {
		return ((Map<?, ?>) field("notAwaited").get(handOffs)).size();
	}

	private static Field field(String name) throws NoSuchFieldException {
		Field field = HandOffs.class.getDeclaredField(name);
		field.setAccessible(true);
		return field;
	}

	@Test
	@DisplayName("a not-awaited future completed on the loop directly leaves both sets; so does one of two awaited ones")
	void completedDirectly_leavesBothSets() throws Exception {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("kept").drainTimeout(Duration.ofMillis(100)).onCurrentThread();
		try {
			HandOffs handOffs = loop.handOffs;
			DefaultLoopFuture<String> callback = handOffs.createNotAwaited("its fromCallback callback");
			DefaultLoopFuture<String> first = handOffs.create();
			DefaultLoopFuture<String> second = handOffs.create();
			assertThat(pending(handOffs)).isEqualTo(3);
			assertThat(notAwaited(handOffs)).isEqualTo(1);
			callback.setResult("called");
			assertThat(pending(handOffs)).as("done: waits for nothing").isEqualTo(2);
			assertThat(notAwaited(handOffs)).isZero();
			first.setException(new IllegalStateException("failed"));
			assertThat(first.exception()).hasMessage("failed");
			assertThat(pending(handOffs)).isEqualTo(1);
			second.cancel();
			assertThat(pending(handOffs)).isZero();
			assertThat(handOffs.settle()).isTrue();
		}
		finally {
			loop.close();
		}
	}

	@Test
	@DisplayName("a not-awaited future completed through a hand-off completion leaves both sets")
	void completedThroughTheHandOff_leavesBothSets() throws Exception {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("kept").drainTimeout(Duration.ofMillis(100)).onCurrentThread();
		try {
			HandOffs handOffs = loop.handOffs;
			DefaultLoopFuture<String> callback = handOffs.createNotAwaited("its fromCallback callback");
			DefaultLoopFuture<String> other = handOffs.createNotAwaited("another callback");
			handOffs.complete(callback, "called", null);
			assertThat(loop.runOnce()).isEqualTo(1);
			assertThat(callback.result()).isEqualTo("called");
			assertThat(pending(handOffs)).isEqualTo(1);
			assertThat(notAwaited(handOffs)).isEqualTo(1);
			other.cancel();
			assertThat(pending(handOffs)).isZero();
			assertThat(notAwaited(handOffs)).isZero();
		}
		finally {
			loop.close();
		}
	}

	@Test
	@DisplayName("ROE-9: after a loop whose owner ended abandoned its hand-offs, a late outcome is dropped quietly, not counted as rejected")
	void afterAbandonAll_lateOutcomeDroppedQuietly() throws Exception {
		AtomicReference<DefaultEventLoop> made = new AtomicReference<>();
		AtomicReference<DefaultLoopFuture<String>> handOff = new AtomicReference<>();
		Thread owner = new Thread(() -> {
			DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("orphan").onCurrentThread();
			made.set(loop);
			handOff.set(loop.handOffs.create());
			// ends without close(): the loop is terminated by whoever notices
		}, "short-lived-owner");
		owner.setDaemon(true);
		owner.start();
		owner.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(owner.isAlive()).isFalse();
		DefaultEventLoop loop = made.get();
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			assertThat(loop.ownerDied()).isTrue(); // abandons everything, the hand-off future included
			assertThat(pending(loop.handOffs)).as("abandoned: forgotten").isZero();
			long rejected = loop.statistics().callbacksRejected();
			loop.handOffs.complete(handOff.get(), "late", null);
			assertThat(loop.statistics().callbacksRejected()).as("dropped, not refused").isEqualTo(rejected);
			assertThat(log.messages(Level.ERROR)).noneMatch((m) -> m.contains("dropped callback"));
		}
		finally {
			loop.close();
		}
	}

}
