package dev.eddy.test.autoconfigure;

import java.util.concurrent.CompletableFuture;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;

/** A service of the Spring tests: one {@code @RunOnExecutor} method per return kind. */
public class Quotes {

	/** What {@link #quote} fails with for a symbol starting with {@code NOPE}. */
	public static class UnknownSymbolException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		UnknownSymbolException(String symbol) {
			super("no quote for '" + symbol + "'");
		}

	}

	@RunOnExecutor
	public LoopFuture<String> quote(String symbol) {
		if (symbol.startsWith("NOPE")) {
			throw new UnknownSymbolException(symbol);
		}
		return LoopFuture.completed(symbol + "=42 on " + Thread.currentThread().getName());
	}

	@RunOnExecutor
	public CompletableFuture<String> quoteLater(String symbol) {
		return CompletableFuture.completedFuture(symbol + "=42 on " + Thread.currentThread().getName());
	}

}
