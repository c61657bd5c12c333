package dev.eddy.internal;

import dev.eddy.unobserved.UnobservedFailureDetector;
import org.jspecify.annotations.Nullable;

/**
 * Where an {@link EddyCompletableFuture} comes from: the loop that completes it, the detector
 * its unobserved failure goes to, and how reports name it. These are the same for every future
 * of one source (a loop, a {@code @RunOnExecutor} method, {@code Futures.allOf}) and for all its
 * dependents, so they live here once instead of in four fields of every future (a tracked
 * future is 40 bytes instead of 56 with compressed pointers). Callers that make many futures
 * keep their origin and reuse it.
 * <p>Immutable and thread-safe.
 */
final class FutureOrigin {

	/** Untracked and completed by no loop: the plain view of a successful completed future. */
	static final FutureOrigin UNTRACKED = new FutureOrigin(null, null, "", "");

	/** The loop that completes these futures (their blocking reads refuse on its thread), or null. */
	final @Nullable DefaultEventLoop completingLoop;

	/** Where an unobserved failure is reported; null: untracked. */
	final @Nullable UnobservedFailureDetector detector;

	/** The loop name or {@code Class#method} that made the futures. */
	final String source;

	/** How the futures introduce themselves in reports, e.g. {@code CompletableFuture[source=Orders#load]}. */
	final String label;

	private FutureOrigin(@Nullable DefaultEventLoop completingLoop, @Nullable UnobservedFailureDetector detector,
			String source, String label) {
		this.completingLoop = completingLoop;
		this.detector = detector;
		this.source = source;
		this.label = label;
	}

	/**
	 * The origin of tracked futures.
	 * @param completingLoop the loop that completes them, or null
	 * @param detector where an unobserved failure is reported
	 * @param source the loop name or {@code Class#method}
	 * @param label see {@link EddyCompletableFuture#labelFor(String)}
	 * @return the origin; keep it to make more futures of the same source
	 */
	static FutureOrigin tracked(@Nullable DefaultEventLoop completingLoop, UnobservedFailureDetector detector, String source,
			String label) {
		return new FutureOrigin(completingLoop, detector, source, label);
	}

	/**
	 * @param completingLoop the loop that completes them, or null
	 * @return the origin of untracked futures of that loop
	 */
	static FutureOrigin untracked(@Nullable DefaultEventLoop completingLoop) {
		return (completingLoop == null) ? UNTRACKED : new FutureOrigin(completingLoop, null, "", "");
	}

}
