package dev.eddy.web;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.internal.CompletedLoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.EventLoopClosedException;

/**
 * What the web adapters do to futures from threads that are not the future's loop.
 * <p>Thread-safe.
 */
final class WebFutures {

	private WebFutures() {
	}

	/**
	 * Cancels a loop future with a message, on its loop; from any thread. A future done from
	 * birth ({@code LoopFuture.completed/failed}) has nothing to cancel; a closing loop cancels
	 * its pending futures itself.
	 * @param future the future
	 * @param message the message its {@code CancellationException} carries
	 */
	static void cancel(LoopFuture<?> future, String message) {
		if (future instanceof CompletedLoopFuture) {
			return;
		}
		EventLoop loop = future.loop();
		if (loop.inLoopThread()) {
			future.cancel(message);
			return;
		}
		try {
			loop.execute(() -> future.cancel(message));
		}
		catch (EventLoopClosedException ex) {
			// the loop cancels, with its own message, every future still pending when it closes
		}
	}

	/**
	 * Cancels a {@code CompletableFuture} with a message (JDK's {@code cancel} takes none): it is
	 * completed with a {@link CancellationException}, so {@code isCancelled()} is true.
	 * @param future the future
	 * @param message the message
	 */
	static void cancel(CompletableFuture<?> future, String message) {
		future.completeExceptionally(new CancellationException(message));
	}

	/**
	 * @param failure what a {@code CompletableFuture} completed with
	 * @return the exception itself, unwrapped from one {@link CompletionException}
	 */
	static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
