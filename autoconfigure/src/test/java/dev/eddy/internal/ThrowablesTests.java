package dev.eddy.internal;

import java.io.IOException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The shared failure helpers: exactly one {@code CompletionException} layer peeled (CH-4), Errors never wrapped. */
class ThrowablesTests {

	private final IOException checked = new IOException("disk full");

	@Test
	void unwrap_peelsExactlyOneCompletionExceptionLayer() {
		CompletionException once = new CompletionException(this.checked);
		assertThat(Throwables.unwrap(once)).isSameAs(this.checked);
		assertThat(Throwables.unwrapPresent(once)).isSameAs(this.checked);
		CompletionException twice = new CompletionException(once);
		assertThat(Throwables.unwrap(twice)).isSameAs(once);
		assertThat(Throwables.unwrapPresent(twice)).isSameAs(once);
	}

	@Test
	void unwrap_leavesOtherFailuresAndACauselessCompletionExceptionAlone() {
		CompletionException causeless = new CompletionException("no cause", null);
		assertThat(Throwables.unwrap(causeless)).isSameAs(causeless);
		assertThat(Throwables.unwrapPresent(causeless)).isSameAs(causeless);
		IllegalStateException withCause = new IllegalStateException("outer", this.checked);
		assertThat(Throwables.unwrap(withCause)).isSameAs(withCause);
		assertThat(Throwables.unwrapPresent(withCause)).isSameAs(withCause);
		assertThat(Throwables.unwrap(null)).isNull();
	}

	@Test
	void unchecked_keepsARuntimeException_wrapsACheckedOne_andThrowsAnError() {
		IllegalStateException runtime = new IllegalStateException("boom");
		assertThat(Throwables.unchecked(runtime)).isSameAs(runtime);
		assertThat(Throwables.uncheckedOrNull(runtime)).isSameAs(runtime);
		assertThat(Throwables.unchecked(this.checked)).isExactlyInstanceOf(CompletionException.class).hasCause(this.checked);
		assertThat(Throwables.uncheckedOrNull(this.checked)).isNull();
		OutOfMemoryError error = new OutOfMemoryError("test");
		assertThatExceptionOfType(OutOfMemoryError.class).isThrownBy(() -> Throwables.unchecked(error)).isSameAs(error);
		assertThatExceptionOfType(OutOfMemoryError.class).isThrownBy(() -> Throwables.uncheckedOrNull(error)).isSameAs(error);
	}

}
