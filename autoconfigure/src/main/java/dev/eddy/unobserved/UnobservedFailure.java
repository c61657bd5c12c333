package dev.eddy.unobserved;

import org.jspecify.annotations.Nullable;

/**
 * One report of a failure that nobody observed.
 * <p>Thread-safe (immutable).
 *
 * @param exception the failure nobody looked at
 * @param source where the future lived: a loop name, or {@code Class#method} of a
 * {@code @RunOnExecutor} method
 * @param description the future as its {@code toString()} showed it when it failed
 * @param creationSite where the future was created, at level {@code TRACED}; else {@code null}
 */
public record UnobservedFailure(Throwable exception, String source, String description,
		@Nullable Throwable creationSite) {
}
