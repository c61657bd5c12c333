package dev.eddy.testsupport;

import java.util.concurrent.CancellationException;

import org.jspecify.annotations.Nullable;

/**
 * Reads a cancellation the same way on every JDK: from Java 23 on, {@code CompletableFuture.get}
 * and {@code join} throw a new {@code CancellationException("get"/"join")} whose cause is the
 * original one; Java 17 throws the original itself.
 */
public final class Cancellations {

	private Cancellations() {
	}

	/**
	 * @param thrown what {@code get()} or {@code join()} threw
	 * @return the original cancellation
	 */
	public static @Nullable Throwable original(@Nullable Throwable thrown) {
		if (thrown instanceof CancellationException && thrown.getCause() instanceof CancellationException original) {
			return original;
		}
		return thrown;
	}

}
