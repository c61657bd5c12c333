package dev.eddy.test.autoconfigure.jpa;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;

import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A service that books trades through the repository on Eddy's default executor, each call in a
 * transaction of its own, which begins on the pool thread: {@code @RunOnExecutor} is the outermost
 * advice, so {@code @Transactional} runs inside it, as with {@code @Async}.
 */
public class TradeBook {

	private final TradeRepository trades;

	public TradeBook(TradeRepository trades) {
		this.trades = trades;
	}

	/** What a booking saw, on the thread that ran it. */
	public record Booked(long trades, String thread, boolean inTransaction) {
	}

	/**
	 * Saves a trade, then refuses a non-positive quantity: the refusal fails the future and rolls
	 * the save back.
	 */
	@RunOnExecutor
	@Transactional
	public LoopFuture<Booked> book(String symbol, int quantity) {
		this.trades.save(new Trade(symbol, quantity));
		if (quantity <= 0) {
			throw new IllegalArgumentException("quantity must be positive, was " + quantity);
		}
		return LoopFuture.completed(new Booked(this.trades.countBySymbol(symbol), Thread.currentThread().getName(),
				TransactionSynchronizationManager.isActualTransactionActive()));
	}

}
