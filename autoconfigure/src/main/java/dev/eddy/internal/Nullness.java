package dev.eddy.internal;

import org.jspecify.annotations.Nullable;

/**
 * The one fact about nullness that the build's checker (NullAway) cannot follow, said once.
 * <p>Eddy keeps an outcome as a value and a failure side by side (a hand-off, a copied outcome, a
 * completed future): the value is null whenever the failure is set, and when the failure is null
 * the value is a {@code T}, which is null only where {@code T} admits it ({@code LoopFuture<@Nullable Void>}).
 * The checker sees the field as {@code @Nullable T} and cannot tie it to the failure's field, so
 * the places that read a succeeded outcome's value pass it through {@link #result}.
 * <p>Stateless; thread-safe.
 */
final class Nullness {

	private Nullness() {
	}

	/**
	 * The value of an outcome whose failure is null.
	 * @param <T> the result type, which may admit null
	 * @param value the value kept beside a null failure
	 * @return {@code value}, as the {@code T} it is
	 */
	@SuppressWarnings("NullAway") // the invariant in the class comment, which NullAway cannot see across fields
	static <T extends @Nullable Object> T result(@Nullable T value) {
		return value;
	}

}
