package dev.eddy.internal;

import java.util.IdentityHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The one place where Eddy renders user objects (values, exceptions, callbacks) for
 * {@code toString()}, messages and logs: short, bounded, and safe. A {@code toString()},
 * {@code getMessage()} or {@code getCause()} that throws, or that recurses until the stack
 * overflows (a cyclic {@code toString()}, as bidirectional JPA entities have), never escapes; the
 * rendering names the class and what threw instead. Only an {@link OutOfMemoryError} is rethrown,
 * since nothing can be promised after it.
 * <p>Thread-safe (stateless).
 */
public final class Describe {

	/** Most characters of one rendered value or message before it is cut with {@code …}. */
	public static final int MAX = 120;

	/** Most exceptions of a cause chain {@link #causes(Throwable)} walks. */
	public static final int MAX_CAUSES = 16;

	private Describe() {
	}

	/**
	 * A value as {@code String.valueOf} shows it, cut at {@link #MAX} characters.
	 * @param value any value, even one whose {@code toString()} throws
	 * @return the rendering, never {@code null}
	 */
	public static String value(@Nullable Object value) {
		String text;
		try {
			text = String.valueOf(value);
			if (text == null) { // a toString() that returns null
				text = "null";
			}
		}
		catch (Throwable ex) { // includes the StackOverflowError of a cyclic toString()
			rethrowIfUnrecoverable(ex);
			text = className(value) + " (toString threw " + className(ex) + ")";
		}
		return bound(text);
	}

	/**
	 * An exception's message, cut at {@link #MAX} characters.
	 * @param exception any exception, even one whose {@code getMessage()} throws
	 * @return the message, or {@code null} when it has none
	 */
	public static @Nullable String message(Throwable exception) {
		try {
			String message = exception.getMessage();
			return (message != null) ? bound(message) : null;
		}
		catch (Throwable ex) {
			rethrowIfUnrecoverable(ex);
			return "(getMessage threw " + className(ex) + ")";
		}
	}

	/**
	 * An exception as {@code SimpleName: message}, bounded and safe.
	 * @param exception any exception
	 * @return the rendering
	 */
	public static String exception(Throwable exception) {
		String message = message(exception);
		return simpleName(exception) + ((message != null) ? ": " + message : "");
	}

	/**
	 * An exception's cause, or {@code null} when {@code getCause()} throws or there is none.
	 * @param exception any exception
	 * @return its cause or {@code null}
	 */
	public static @Nullable Throwable cause(Throwable exception) {
		try {
			Throwable cause = exception.getCause();
			return (cause != exception) ? cause : null;
		}
		catch (Throwable ex) {
			rethrowIfUnrecoverable(ex);
			return null;
		}
	}

	/**
	 * How many exceptions a cause chain has, stopping at a cycle, at a throwing
	 * {@code getCause()} or at {@link #MAX_CAUSES}.
	 * @param exception the head of the chain
	 * @return 1 for an exception without a cause
	 */
	public static int causes(Throwable exception) {
		Map<Throwable, Boolean> seen = new IdentityHashMap<>();
		int count = 0;
		for (Throwable current = exception; current != null && count < MAX_CAUSES
				&& seen.put(current, Boolean.TRUE) == null; current = cause(current)) {
			count++;
		}
		return count;
	}

	/**
	 * The frame where an exception was thrown, as {@code Class.method(File:line)}.
	 * @param exception any exception, even one whose {@code getStackTrace()} throws
	 * @return the top frame, or {@code "unknown frame"}
	 */
	public static String throwingFrame(Throwable exception) {
		try {
			StackTraceElement[] trace = exception.getStackTrace();
			return (trace != null && trace.length > 0 && trace[0] != null) ? trace[0].toString() : "unknown frame";
		}
		catch (Throwable ex) {
			rethrowIfUnrecoverable(ex);
			return "unknown frame";
		}
	}

	/**
	 * A copy of an exception that is safe to hand to a logging framework: same class name
	 * (in its message), bounded message, stack trace and causes, and none of the user's methods.
	 * Used when logging the original throws.
	 * @param exception any exception
	 * @return the safe copy
	 */
	public static Throwable safeCopy(Throwable exception) {
		return safeCopy(exception, new IdentityHashMap<>(), 0);
	}

	private static Throwable safeCopy(Throwable exception, Map<Throwable, Boolean> seen, int depth) {
		seen.put(exception, Boolean.TRUE);
		Throwable next = cause(exception);
		Throwable cause = (next != null && depth + 1 < MAX_CAUSES && !seen.containsKey(next))
				? safeCopy(next, seen, depth + 1) : null;
		SafeCopy copy = new SafeCopy(className(exception) + describedMessage(exception), cause);
		try {
			copy.setStackTrace(exception.getStackTrace());
		}
		catch (Throwable ex) {
			rethrowIfUnrecoverable(ex);
		}
		return copy;
	}

	private static String describedMessage(Throwable exception) {
		String message = message(exception);
		return (message != null) ? ": " + message : "";
	}

	/**
	 * Rethrows what must not be swallowed: an {@link OutOfMemoryError}.
	 * @param ex what was caught
	 */
	public static void rethrowIfUnrecoverable(Throwable ex) {
		if (ex instanceof OutOfMemoryError error) {
			throw error;
		}
	}

	private static String className(@Nullable Object value) {
		return (value != null) ? value.getClass().getName() : "null";
	}

	private static String simpleName(Throwable exception) {
		String name = exception.getClass().getSimpleName();
		return name.isEmpty() ? exception.getClass().getName() : name;
	}

	private static String bound(String text) {
		return (text.length() > MAX) ? text.substring(0, MAX) + "…" : text;
	}

	/** The exception {@link #safeCopy(Throwable)} makes: its message starts with the original's class. */
	static final class SafeCopy extends Throwable {

		private static final long serialVersionUID = 1L;

		SafeCopy(String message, @Nullable Throwable cause) {
			super(message, cause, false, true);
		}

		@Override
		public String toString() {
			return String.valueOf(getMessage());
		}

	}

}
