package dev.eddy.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Whether the application is shutting down, as the health component and the endpoint need to
 * know it: a loop that closes after the context's {@link ContextClosedEvent} was closed by the
 * shutdown (Eddy's lifecycle closes it later in the same close), one that closes before it
 * terminated unexpectedly. The event is published before any lifecycle phase stops and before
 * any bean is destroyed.
 * <p>Thread-safe.
 */
final class ApplicationClosing {

	private volatile @Nullable ApplicationContext context;

	private volatile boolean closing;

	void context(ApplicationContext context) {
		this.context = context;
	}

	/** A child context's event reaches the parent's listeners too: only this context's own counts. */
	void closed(ContextClosedEvent event) {
		ApplicationContext own = this.context;
		if (own == null || event.getApplicationContext() == own) {
			this.closing = true;
		}
	}

	void closing() {
		this.closing = true;
	}

	boolean isClosing() {
		return this.closing;
	}

}
