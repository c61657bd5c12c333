package dev.eddy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import dev.eddy.loop.EventLoop;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The loop's small parts on their own: {@link Rejectable.Fallback} (new work and what to do if
 * the loop closes first), {@link AddFutureCallback} (the callback of {@code addFuture}, whose
 * {@code CancellationException} the loop counts without logging, IOL-2) and {@link FutureOrigin}.
 */
class LoopPartsTests {

	@Test
	@DisplayName("a fallback task runs its task when run, its fallback when the closed loop rejects it, and is named after its task")
	void fallback() {
		List<String> ran = new ArrayList<>();
		Runnable task = new Runnable() {
			@Override
			public void run() {
				ran.add("task");
			}

			@Override
			public String toString() {
				return "the user's task";
			}
		};
		Runnable combined = Rejectable.orElse(task, () -> ran.add("fallback"));
		assertThat(combined).isInstanceOf(Rejectable.class).hasToString("the user's task");
		combined.run();
		assertThat(ran).containsExactly("task");
		((Rejectable) combined).rejectedByClosedLoop();
		assertThat(ran).containsExactly("task", "fallback");
		assertThat(DefaultEventLoop.orElse(task, () -> ran.add("other"))).isInstanceOf(Rejectable.Fallback.class)
			.hasToString("the user's task");
	}

	@Test
	@DisplayName("addFuture's callback gets the future, by run() and by accept(); its CancellationException becomes a quiet one (IOL-2)")
	void addFutureCallback() {
		List<Object> seen = new ArrayList<>();
		Object future = "the future";
		AddFutureCallback<Object> callback = new AddFutureCallback<>(seen::add, future);
		callback.run();
		callback.accept("ignored");
		assertThat(seen).containsExactly(future, future);
		assertThat(callback.toString()).endsWith(" (addFuture of the future)");

		CancellationException cancelled = new CancellationException("stop");
		Throwable quiet = catchThrowable(new AddFutureCallback<>((f) -> {
			throw cancelled;
		}, future)::run);
		assertThat(quiet).isInstanceOf(AddFutureCallback.QuietCancellation.class).hasMessage("stop").hasCause(cancelled);
		assertThat(quiet.getStackTrace()).isEmpty(); // counted, never logged: no trace to fill
		quiet.addSuppressed(new IllegalStateException());
		assertThat(quiet.getSuppressed()).isEmpty();

		IllegalStateException other = new IllegalStateException("boom");
		assertThat(catchThrowable(new AddFutureCallback<>((f) -> {
			throw other;
		}, future)::run)).isSameAs(other);
	}

	@Test
	@DisplayName("origins: untracked without a loop is the shared UNTRACKED; tracked keeps loop, detector, source and label")
	void origins() {
		assertThat(FutureOrigin.untracked(null)).isSameAs(FutureOrigin.UNTRACKED);
		assertThat(FutureOrigin.UNTRACKED.completingLoop).isNull();
		assertThat(FutureOrigin.UNTRACKED.detector).isNull();
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.onCurrentThread("origins");
		try {
			FutureOrigin untracked = FutureOrigin.untracked(loop);
			assertThat(untracked).isNotSameAs(FutureOrigin.UNTRACKED);
			assertThat(untracked.completingLoop).isSameAs(loop);
			assertThat(untracked.detector).isNull();
			UnobservedFailureDetector detector = UnobservedFailureDetector.global();
			FutureOrigin tracked = FutureOrigin.tracked(loop, detector, "Orders#load", "label");
			assertThat(tracked.completingLoop).isSameAs(loop);
			assertThat(tracked.detector).isSameAs(detector);
			assertThat(tracked.source).isEqualTo("Orders#load");
			assertThat(tracked.label).isEqualTo("label");
		}
		finally {
			loop.close();
		}
	}

}
