package dev.eddy.concurrent;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Java form of Python's {@code exc_info} triple, for the Tornado 4.4.3 {@code exc_info()} /
 * {@code set_exc_info()} API (T4-8): the exception's type, the exception itself and its stack
 * trace. Only {@link #value()} carries meaning when completing a future (FSX-2); a null value
 * is the "no exception" case that {@code setExcInfo} rejects (FSX-1).
 * <p>Thread-safe (immutable; the traceback list is an unmodifiable copy).
 *
 * @param type the exception's class
 * @param value the exception, or {@code null} for "no exception"
 * @param traceback the exception's stack trace when this value was made
 */
public record ExcInfo(Class<? extends Throwable> type, @Nullable Throwable value,
		List<StackTraceElement> traceback) {

	/**
	 * Canonical constructor; copies the traceback.
	 */
	public ExcInfo {
		Objects.requireNonNull(type, "type");
		traceback = List.copyOf(Objects.requireNonNull(traceback, "traceback"));
	}

	/**
	 * The exc_info of a throwable: its class, itself and its current stack trace.
	 * @param throwable the exception
	 * @return a new value
	 */
	public static ExcInfo of(Throwable throwable) {
		Objects.requireNonNull(throwable, "throwable");
		return new ExcInfo(throwable.getClass(), throwable, List.of(throwable.getStackTrace()));
	}

}
