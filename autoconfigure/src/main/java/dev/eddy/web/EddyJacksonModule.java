package dev.eddy.web;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.internal.EddyCompletableFuture;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * A Jackson 3 module that refuses to write a {@link LoopFuture} or one of Eddy's
 * {@code CompletableFuture}s: a future is not a value, and Jackson would otherwise write its bean
 * properties (for a {@code LoopFuture}, {@code {}}), silently losing the value or the failure.
 * Writing one fails with an {@code InvalidDefinitionException} naming the future and the fix.
 * Registered by {@link EddyWebAutoConfiguration} whatever {@code eddy.web.enabled} says.
 * <p>Thread-safe.
 */
public final class EddyJacksonModule extends SimpleModule {

	private static final long serialVersionUID = 1L;

	/** Creates the module. */
	public EddyJacksonModule() {
		super("eddy-futures");
		addSerializer(LoopFuture.class, new Refusal<>(LoopFuture.class, "LoopFuture<T>"));
		addSerializer(EddyCompletableFuture.class, new Refusal<>(EddyCompletableFuture.class, "CompletableFuture<T>"));
	}

	/** Fails every write. Thread-safe. */
	private static final class Refusal<T> extends StdSerializer<T> {

		private final String declare;

		Refusal(Class<T> type, String declare) {
			super(type);
			this.declare = declare;
		}

		@Override
		public void serialize(T value, JsonGenerator generator, SerializationContext context) {
			context.reportBadDefinition(value.getClass(), value + " cannot be written as JSON: a future is not a value. "
					+ "Return it from a controller method declared to return " + this.declare
					+ " (with eddy.web.enabled=true), or write its result once it is done");
		}

	}

}
