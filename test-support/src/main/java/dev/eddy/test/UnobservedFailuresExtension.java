package dev.eddy.test;

import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import dev.eddy.unobserved.UnobservedFailureListener;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * The extension behind {@link FailOnUnobservedFailures}: records every unobserved failure reported
 * while a test runs, collects garbage at its end until the watched detectors settle, and fails the
 * test naming each failure, its source and the future.
 * <p>Thread-safe.
 */
public final class UnobservedFailuresExtension implements BeforeEachCallback, AfterEachCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(UnobservedFailuresExtension.class);

	/** Detectors told to report to {@link #HUB}; weakly held, so a closed context's detector can go. */
	private static final Map<UnobservedFailureDetector, Boolean> watched = Collections.synchronizedMap(new WeakHashMap<>());

	/** The tests running now, each with its list of reports. */
	private static final Set<Recorder> active = new CopyOnWriteArraySet<>();

	private static final UnobservedFailureListener HUB = (failure) -> {
		for (Recorder recorder : active) {
			recorder.reports.add(failure);
		}
	};

	static {
		watch(UnobservedFailureDetector.global());
	}

	/** Creates the extension; JUnit does this for {@link FailOnUnobservedFailures}. */
	public UnobservedFailuresExtension() {
	}

	/**
	 * Makes the extension hear a detector's reports (the global detector and those of Spring test
	 * contexts are watched already). Idempotent.
	 * @param detector the detector
	 */
	public static void watch(UnobservedFailureDetector detector) {
		Objects.requireNonNull(detector, "detector");
		synchronized (watched) {
			if (watched.put(detector, Boolean.TRUE) == null) {
				detector.addListener(HUB);
			}
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		Duration bound = collectTimeout(context);
		// Failures dropped before this test are not its own: let them be reported now, uncharged.
		collect(bound);
		Recorder recorder = new Recorder();
		active.add(recorder);
		context.getStore(NAMESPACE).put(Recorder.class, recorder);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		Recorder recorder = context.getStore(NAMESPACE).remove(Recorder.class, Recorder.class);
		if (recorder == null) {
			return;
		}
		boolean settled;
		try {
			settled = collect(collectTimeout(context));
		}
		finally {
			active.remove(recorder);
		}
		List<UnobservedFailure> reports = new ArrayList<>(recorder.reports);
		if (!reports.isEmpty()) {
			throw failure(reports, settled, collectTimeout(context));
		}
	}

	/**
	 * Collects garbage until no watched detector changes (tracked and reported counts) over two
	 * consecutive rounds with no report in progress, or until the bound. Costs nothing when no
	 * failure is tracked nor being reported.
	 * @return whether the detectors settled within the bound
	 */
	static boolean collect(Duration bound) {
		long deadline = System.nanoTime() + bound.toNanos();
		long[] last = counts();
		if (last[0] == 0 && last[2] == 0) {
			return true;
		}
		int stable = 0;
		while (stable < 2) {
			if (System.nanoTime() - deadline >= 0) {
				return false;
			}
			if (last[0] > 0) {
				collectAndAwaitReferenceProcessing(deadline);
			}
			sleep(20);
			long[] now = counts();
			stable = (now[0] == last[0] && now[1] == last[1] && now[2] == 0) ? stable + 1 : 0;
			last = now;
		}
		return true;
	}

	/**
	 * Collects garbage and waits (within the deadline) until the JDK's reference handler has
	 * enqueued what that collection found: a sentinel phantom reference cleared by the same
	 * collection reaches its queue only then. Without this wait a busy machine can delay the
	 * detector's trackers past the stability rounds, and a failure dropped before a test would be
	 * reported during it.
	 */
	private static void collectAndAwaitReferenceProcessing(long deadline) {
		java.lang.ref.ReferenceQueue<Object> queue = new java.lang.ref.ReferenceQueue<>();
		java.lang.ref.PhantomReference<Object> sentinel = new java.lang.ref.PhantomReference<>(new Object(), queue);
		System.gc();
		long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
		if (remainingMillis > 0) {
			try {
				queue.remove(remainingMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while collecting garbage for @FailOnUnobservedFailures", ex);
			}
		}
		java.lang.ref.Reference.reachabilityFence(sentinel);
	}

	/** @return tracked, reported and in-progress reports, summed over the watched detectors */
	private static long[] counts() {
		long tracked = 0;
		long reported = 0;
		long inProgress = 0;
		synchronized (watched) {
			for (UnobservedFailureDetector detector : watched.keySet()) {
				tracked += detector.trackedCount();
				reported += detector.reportedCount();
				inProgress += detector.reportsInProgress();
			}
		}
		return new long[] { tracked, reported, inProgress };
	}

	private static AssertionFailedError failure(List<UnobservedFailure> reports, boolean settled, Duration bound) {
		StringBuilder message = new StringBuilder();
		message.append(reports.size())
			.append((reports.size() == 1) ? " failed future was" : " failed futures were")
			.append(" dropped during this test without anyone observing the failure:");
		int i = 1;
		for (UnobservedFailure report : reports) {
			message.append("\n  ").append(i++).append(". ").append(report.exception()).append(" from source '")
				.append(report.source()).append("': ").append(report.description());
			Throwable site = report.creationSite();
			if (site != null) {
				creationFrame(site).ifPresent((frame) -> message.append(", created at ").append(frame));
			}
		}
		message.append("\nObserve each failure (result(), exception(), join(), a dependent stage, or chain it into a future "
				+ "that is observed)");
		if (reports.stream().allMatch((report) -> report.creationSite() == null)) {
			message.append("; set eddy.unobserved.level=TRACED (or UnobservedFailureDetector.Level.TRACED) to see where each "
					+ "future was created");
		}
		if (!settled) {
			message.append("\n(garbage collection had not settled after ").append(bound)
				.append("; more failures may be reported later)");
		}
		AssertionFailedError error = new AssertionFailedError(message.toString(), reports.get(0).exception());
		for (int j = 1; j < reports.size(); j++) {
			error.addSuppressed(reports.get(j).exception());
		}
		return error;
	}

	private static Optional<StackTraceElement> creationFrame(Throwable site) {
		for (StackTraceElement frame : site.getStackTrace()) {
			if (!frame.getClassName().startsWith("dev.eddy.internal.") && !frame.getClassName().startsWith("dev.eddy.unobserved.")
					&& !frame.getClassName().startsWith("dev.eddy.loop.") && !frame.getClassName().startsWith("dev.eddy.concurrent.")) {
				return Optional.of(frame);
			}
		}
		return Optional.empty();
	}

	private static Duration collectTimeout(ExtensionContext context) {
		long millis = findAnnotation(context.getElement())
			.or(() -> context.getTestClass().flatMap(UnobservedFailuresExtension::findAnnotation))
			.map(FailOnUnobservedFailures::collectTimeoutMillis)
			.orElse(5_000L);
		if (millis <= 0) {
			throw new ExtensionConfigurationException(
					"'collectTimeoutMillis' of @FailOnUnobservedFailures must be positive, was " + millis);
		}
		return Duration.ofMillis(millis);
	}

	private static Optional<FailOnUnobservedFailures> findAnnotation(Optional<? extends AnnotatedElement> element) {
		return element.flatMap((found) -> AnnotationSupport.findAnnotation(found, FailOnUnobservedFailures.class));
	}

	private static Optional<FailOnUnobservedFailures> findAnnotation(Class<?> type) {
		Optional<FailOnUnobservedFailures> found = AnnotationSupport.findAnnotation(type, FailOnUnobservedFailures.class);
		if (found.isPresent()) {
			return found;
		}
		Class<?> enclosing = type.getEnclosingClass();
		return (enclosing != null) ? findAnnotation(enclosing) : Optional.empty();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while collecting garbage for @FailOnUnobservedFailures", ex);
		}
	}

	private static final class Recorder {

		final List<UnobservedFailure> reports = Collections.synchronizedList(new ArrayList<>());

	}

}
