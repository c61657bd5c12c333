package dev.eddy.internal;

import java.util.concurrent.CompletionException;

import org.jspecify.annotations.Nullable;

/**
 * The few things the runtime does to a failure in more than one place: peel one
 * {@link CompletionException} layer, and turn any throwable into something a {@code Runnable}
 * may throw.
 * <p>Stateless; thread-safe.
 */
final class Throwables {

	private Throwables() {
	}

	/**
	 * Peels exactly one {@link CompletionException} layer, as {@code chain_future} hands on the
	 * original exception object (CH-4); a {@code CompletionException} without a cause stays.
	 * @param failure a failure, or null
	 * @return its cause if it is a {@code CompletionException} with one, else {@code failure}
	 */
	static @Nullable Throwable unwrap(@Nullable Throwable failure) {
		if (failure instanceof CompletionException && failure.getCause() != null) {
			return failure.getCause();
		}
		return failure;
	}

	/**
	 * As {@link #unwrap(Throwable)}, for a failure that is known to be there.
	 * @param failure a failure
	 * @return its cause if it is a {@code CompletionException} with one, else {@code failure}
	 */
	static Throwable unwrapPresent(Throwable failure) {
		Throwable cause = failure.getCause();
		return (failure instanceof CompletionException && cause != null) ? cause : failure;
	}

	/**
	 * The unchecked form of a failure, for a caller that keeps its own wrapper of a checked one.
	 * @param failure a failure
	 * @return {@code failure} if it is a {@code RuntimeException}, else null (a checked
	 * exception, which the caller wraps)
	 * @throws Error {@code failure} itself, if it is one
	 */
	static @Nullable RuntimeException uncheckedOrNull(Throwable failure) {
		if (failure instanceof RuntimeException runtime) {
			return runtime;
		}
		if (failure instanceof Error error) {
			throw error;
		}
		return null;
	}

	/**
	 * The unchecked form of a failure: itself if unchecked, else wrapped in a new
	 * {@link CompletionException}.
	 * @param failure a failure
	 * @return what to throw
	 * @throws Error {@code failure} itself, if it is one
	 */
	static RuntimeException unchecked(Throwable failure) {
		RuntimeException unchecked = uncheckedOrNull(failure);
		return (unchecked != null) ? unchecked : new CompletionException(failure);
	}

}
