package dev.eddy.internal;

import java.io.IOException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link Describe} renders user objects for messages and logs bounded and safe against hostile
 * {@code toString()}, {@code getMessage()}, {@code getCause()} and {@code getStackTrace()}; only
 * an {@code OutOfMemoryError} escapes. Plain JUnit, no loop.
 */
class DescribeTests {

	private static final String LONG = "x".repeat(Describe.MAX + 5);

	@Test
	@DisplayName("value: String.valueOf, 'null' for null or a null toString, cut at MAX with an ellipsis")
	void value_rendersAndBounds() {
		assertThat(Describe.value(42)).isEqualTo("42");
		assertThat(Describe.value(null)).isEqualTo("null");
		assertThat(Describe.value(new Object() {

			@Override
			public String toString() {
				return null;
			}

		})).isEqualTo("null");
		assertThat(Describe.value("x".repeat(Describe.MAX))).as("exactly MAX is kept whole").hasSize(Describe.MAX);
		assertThat(Describe.value(LONG)).isEqualTo("x".repeat(Describe.MAX) + "…");
	}

	@Test
	@DisplayName("value: a throwing or cyclic toString names the class and what threw; an OutOfMemoryError escapes")
	void value_hostileToString() {
		assertThat(Describe.value(new Hostile())).isEqualTo(Hostile.class.getName() + " (toString threw java.lang.IllegalStateException)");
		assertThat(Describe.value(new Cyclic())).isEqualTo(Cyclic.class.getName() + " (toString threw java.lang.StackOverflowError)");
		assertThatExceptionOfType(OutOfMemoryError.class).isThrownBy(() -> Describe.value(new Object() {

			@Override
			public String toString() {
				throw new OutOfMemoryError("simulated");
			}

		}));
	}

	@Test
	@DisplayName("message: bounded, null when absent, '(getMessage threw X)' when getMessage throws, OOME escapes")
	void message_boundedAndSafe() {
		assertThat(Describe.message(new IOException("disk full"))).isEqualTo("disk full");
		assertThat(Describe.message(new IOException())).isNull();
		assertThat(Describe.message(new IOException(LONG))).isEqualTo("x".repeat(Describe.MAX) + "…");
		assertThat(Describe.message(new HostileMessage())).isEqualTo("(getMessage threw java.lang.IllegalStateException)");
		assertThatExceptionOfType(OutOfMemoryError.class).isThrownBy(() -> Describe.message(new RuntimeException() {

			@Override
			public String getMessage() {
				throw new OutOfMemoryError("simulated");
			}

		}));
	}

	@Test
	@DisplayName("exception: SimpleName: message, the name alone without a message, the full name for an anonymous class")
	void exception_rendersSimpleNameAndMessage() {
		assertThat(Describe.exception(new IOException("disk full"))).isEqualTo("IOException: disk full");
		assertThat(Describe.exception(new IOException())).isEqualTo("IOException");
		RuntimeException anonymous = new RuntimeException("odd") {

			private static final long serialVersionUID = 1L;

		};
		assertThat(Describe.exception(anonymous)).isEqualTo(anonymous.getClass().getName() + ": odd");
	}

	@Test
	@DisplayName("cause: the cause, null for none, for itself, or for a throwing getCause; OOME escapes")
	void cause_safe() {
		IOException root = new IOException("root");
		assertThat(Describe.cause(new RuntimeException(root))).isSameAs(root);
		assertThat(Describe.cause(root)).isNull();
		assertThat(Describe.cause(new SelfCause())).isNull();
		assertThat(Describe.cause(new HostileCause(new IllegalStateException("cause fails")))).isNull();
		assertThatExceptionOfType(OutOfMemoryError.class)
			.isThrownBy(() -> Describe.cause(new HostileCause(new OutOfMemoryError("simulated"))));
	}

	@Test
	@DisplayName("causes: the length of the chain, stopping at a cycle and at MAX_CAUSES")
	void causes_countsBounded() {
		assertThat(Describe.causes(new IOException("one"))).isEqualTo(1);
		assertThat(Describe.causes(new RuntimeException(new IOException("two")))).isEqualTo(2);
		RuntimeException a = new RuntimeException("a");
		RuntimeException b = new RuntimeException("b", a);
		a.initCause(b);
		assertThat(Describe.causes(a)).as("a cycle a -> b -> a").isEqualTo(2);
		assertThat(Describe.causes(chain(Describe.MAX_CAUSES - 1))).isEqualTo(Describe.MAX_CAUSES - 1);
		assertThat(Describe.causes(chain(Describe.MAX_CAUSES))).isEqualTo(Describe.MAX_CAUSES);
		assertThat(Describe.causes(chain(Describe.MAX_CAUSES + 10))).isEqualTo(Describe.MAX_CAUSES);
	}

	@Test
	@DisplayName("throwingFrame: the top frame, 'unknown frame' for an empty, null-topped or throwing stack trace")
	void throwingFrame_safe() {
		IOException thrown = new IOException("here");
		assertThat(Describe.throwingFrame(thrown)).isEqualTo(thrown.getStackTrace()[0].toString())
			.contains("DescribeTests.throwingFrame_safe");
		IOException empty = new IOException("no trace");
		empty.setStackTrace(new StackTraceElement[0]);
		assertThat(Describe.throwingFrame(empty)).isEqualTo("unknown frame");
		assertThat(Describe.throwingFrame(new NullTopFrame())).isEqualTo("unknown frame");
		assertThat(Describe.throwingFrame(new NullTrace())).isEqualTo("unknown frame");
		assertThat(Describe.throwingFrame(new HostileTrace(new IllegalStateException("trace fails"))))
			.isEqualTo("unknown frame");
		assertThatExceptionOfType(OutOfMemoryError.class)
			.isThrownBy(() -> Describe.throwingFrame(new HostileTrace(new OutOfMemoryError("simulated"))));
	}

	@Test
	@DisplayName("safeCopy: the class name and bounded message, the same stack trace, causes copied, cycles and depth cut")
	void safeCopy_copiesWithoutUserMethods() {
		IOException root = new IOException("root");
		IllegalStateException top = new IllegalStateException(LONG, root);
		Throwable copy = Describe.safeCopy(top);
		assertThat(copy).isInstanceOf(Describe.SafeCopy.class)
			.hasMessage("java.lang.IllegalStateException: " + "x".repeat(Describe.MAX) + "…")
			.hasToString(copy.getMessage());
		assertThat(copy.getStackTrace()).isEqualTo(top.getStackTrace());
		assertThat(copy.getCause()).hasMessage("java.io.IOException: root").hasNoCause();
		assertThat(copy.getCause().getStackTrace()).isEqualTo(root.getStackTrace());
		assertThat(Describe.safeCopy(new IOException())).hasMessage("java.io.IOException");
		assertThat(copy.getSuppressed()).isEmpty();

		RuntimeException a = new RuntimeException("a");
		RuntimeException b = new RuntimeException("b", a);
		a.initCause(b);
		Throwable cyclic = Describe.safeCopy(a);
		assertThat(cyclic.getCause()).hasMessage("java.lang.RuntimeException: b").hasNoCause();

		// Counted by hand: Describe.causes would stop at MAX_CAUSES whatever the copy holds.
		assertThat(length(Describe.safeCopy(chain(Describe.MAX_CAUSES - 1)))).isEqualTo(Describe.MAX_CAUSES - 1);
		assertThat(length(Describe.safeCopy(chain(Describe.MAX_CAUSES)))).isEqualTo(Describe.MAX_CAUSES);
		assertThat(length(Describe.safeCopy(chain(Describe.MAX_CAUSES + 3)))).isEqualTo(Describe.MAX_CAUSES);

		Throwable hostile = Describe.safeCopy(new HostileTrace(new IllegalStateException("trace fails")));
		assertThat(hostile).hasMessage(HostileTrace.class.getName() + ": hostile trace");
		assertThat(hostile.getStackTrace()).as("the copy's own trace is kept when the original's throws").isNotEmpty();
		assertThatExceptionOfType(OutOfMemoryError.class)
			.isThrownBy(() -> Describe.safeCopy(new HostileTrace(new OutOfMemoryError("simulated"))));
	}

	@Test
	@DisplayName("rethrowIfUnrecoverable: rethrows only an OutOfMemoryError")
	void rethrowIfUnrecoverable_onlyOutOfMemory() {
		Describe.rethrowIfUnrecoverable(new StackOverflowError());
		Describe.rethrowIfUnrecoverable(new IOException());
		OutOfMemoryError oome = new OutOfMemoryError("simulated");
		assertThatExceptionOfType(OutOfMemoryError.class).isThrownBy(() -> Describe.rethrowIfUnrecoverable(oome))
			.isSameAs(oome);
	}

	private static int length(Throwable chain) {
		int length = 0;
		for (Throwable current = chain; current != null && length < 1000; current = current.getCause()) {
			length++;
		}
		return length;
	}

	/** A chain of {@code length} exceptions. */
	private static Throwable chain(int length) {
		Throwable current = new IOException("0");
		for (int i = 1; i < length; i++) {
			current = new RuntimeException(String.valueOf(i), current);
		}
		return current;
	}

	static final class Hostile {

		@Override
		public String toString() {
			throw new IllegalStateException("toString fails");
		}

	}

	static final class Cyclic {

		@Override
		public String toString() {
			return "Cyclic[" + this + "]";
		}

	}

	static final class HostileMessage extends RuntimeException {

		private static final long serialVersionUID = 1L;

		@Override
		public String getMessage() {
			throw new IllegalStateException("getMessage fails");
		}

	}

	static final class SelfCause extends RuntimeException {

		private static final long serialVersionUID = 1L;

		@Override
		public synchronized Throwable getCause() {
			return this;
		}

	}

	static final class HostileCause extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final transient Throwable toThrow;

		HostileCause(Throwable toThrow) {
			this.toThrow = toThrow;
		}

		@Override
		public synchronized Throwable getCause() {
			throw sneaky(this.toThrow);
		}

	}

	static final class NullTopFrame extends RuntimeException {

		private static final long serialVersionUID = 1L;

		@Override
		public StackTraceElement[] getStackTrace() {
			return new StackTraceElement[] { null };
		}

	}

	static final class NullTrace extends RuntimeException {

		private static final long serialVersionUID = 1L;

		@Override
		public StackTraceElement[] getStackTrace() {
			return null;
		}

	}

	static final class HostileTrace extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final transient Throwable toThrow;

		HostileTrace(Throwable toThrow) {
			super("hostile trace");
			this.toThrow = toThrow;
		}

		@Override
		public StackTraceElement[] getStackTrace() {
			throw sneaky(this.toThrow);
		}

	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> RuntimeException sneaky(Throwable ex) throws E {
		throw (E) ex;
	}

}
