package dev.eddy.web;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.eddy.concurrent.Futures;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * {@link LoopFuture} to Reactor's {@link Mono} and back, with cancellation passed through both
 * ways and the duty to observe a failure moved as a chain moves it (CH-8): the side that copies
 * the failure takes the duty over from the side it copied it from.
 * <p>Thread-safe.
 */
public final class EddyReactor {

	private EddyReactor() {
	}

	/**
	 * A {@code Mono} of a future's outcome. Each subscription reads the future through its
	 * thread-safe {@code toCompletableFuture()} view and signals on the thread that completes it
	 * (the loop's), as {@code Mono.fromFuture} does; a {@code null} result completes it empty.
	 * <ul>
	 * <li>A failure delivered to a subscriber is observed: the subscriber has the duty now. While
	 * nobody subscribes, the future keeps it and reports the failure if it is dropped.</li>
	 * <li>A subscriber that cancels cancels the future, with a message.</li>
	 * <li>A cancelled future errors the {@code Mono} with its {@code CancellationException}.</li>
	 * </ul>
	 * @param <T> the value type
	 * @param future the future
	 * @return the mono
	 */
	public static <T extends @Nullable Object> Mono<T> toMono(LoopFuture<T> future) {
		Objects.requireNonNull(future, "future");
		return Mono.create((sink) -> {
			CompletableFuture<T> view = future.toCompletableFuture();
			sink.onCancel(() -> WebFutures.cancel(future, "The subscriber of the Mono of " + future + " cancelled"));
			view.whenComplete((value, failure) -> {
				if (failure != null) {
					sink.error(WebFutures.unwrap(failure));
				}
				else if (value == null) {
					sink.success();
				}
				else {
					sink.success(value);
				}
			});
		});
	}

	/**
	 * A future of {@code loop} completed, on the loop, with a {@code Mono}'s value ({@code null}
	 * when it completes empty) or its error. It subscribes at once.
	 * <ul>
	 * <li>The future has the duty to observe the error from then on: it is reported if nobody
	 * observes the future.</li>
	 * <li>Cancelling the future cancels the subscription.</li>
	 * <li>A loop that closes before the outcome arrives cancels the future with a message.</li>
	 * </ul>
	 * @param <T> the value type
	 * @param mono the mono
	 * @param loop the loop of the future
	 * @return the future
	 */
	public static <T extends @Nullable Object> LoopFuture<T> toLoopFuture(Mono<? extends T> mono, EventLoop loop) {
		Objects.requireNonNull(mono, "mono");
		Objects.requireNonNull(loop, "loop");
		LoopFuture<T> target = loop.newFuture();
		CompletableFuture<? extends T> subscription = mono.toFuture();
		Futures.of(loop).chain(subscription, target);
		Runnable cancelOnCancel = () -> target.addDoneCallback((done) -> {
			if (done.cancelled()) {
				subscription.cancel(false);
			}
		});
		if (loop.inLoopThread()) {
			cancelOnCancel.run();
		}
		else {
			loop.execute(cancelOnCancel);
		}
		return target;
	}

}
