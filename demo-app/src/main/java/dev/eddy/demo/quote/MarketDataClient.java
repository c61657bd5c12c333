package dev.eddy.demo.quote;

import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;

import dev.eddy.concurrent.RunOnExecutor;

import org.springframework.stereotype.Component;

/**
 * The market-data vendor: blocking calls (simulated by a few milliseconds of latency over
 * deterministic data), each run on the {@code io} executor so callers get a future at once.
 */
@Component
public class MarketDataClient {

	/**
	 * The last price of an instrument in US dollars.
	 * @param symbol the instrument
	 * @return the price; fails with {@link UnknownSymbolException}
	 */
	@RunOnExecutor("io")
	public CompletableFuture<BigDecimal> lastPriceUsd(String symbol) {
		Latency.simulate(5);
		return CompletableFuture.completedFuture(Listings.priceUsd(symbol));
	}

	/**
	 * Units of {@code currency} per US dollar.
	 * @param currency the currency code
	 * @return the rate; fails with {@link UnsupportedCurrencyException}
	 */
	@RunOnExecutor("io")
	public CompletableFuture<BigDecimal> usdRate(String currency) {
		Latency.simulate(3);
		return CompletableFuture.completedFuture(Listings.usdRate(currency));
	}

}
