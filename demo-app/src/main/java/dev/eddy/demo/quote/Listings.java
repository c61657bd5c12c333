package dev.eddy.demo.quote;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The instruments the service knows: deterministic reference data standing in for a database.
 */
final class Listings {

	/** Last prices in USD. */
	private static final Map<String, BigDecimal> PRICES = new TreeMap<>(Map.of(
			"ACME", new BigDecimal("101.25"),
			"BOLT", new BigDecimal("12.40"),
			"CRUX", new BigDecimal("350.00"),
			"DYNE", new BigDecimal("47.85"),
			"ECHO", new BigDecimal("8.05"),
			"FLUX", new BigDecimal("220.10"),
			"GRID", new BigDecimal("64.30"),
			"HALO", new BigDecimal("15.75")));

	/** Ratings by symbol; a listed symbol without one is "NR" (not rated). */
	private static final Map<String, String> RATINGS = Map.of("ACME", "AA", "BOLT", "BB", "CRUX", "AAA", "DYNE", "A",
			"ECHO", "B", "FLUX", "AA", "GRID", "BBB");

	/** Units of each currency per US dollar. */
	private static final Map<String, BigDecimal> USD_RATES = Map.of("USD", BigDecimal.ONE, "EUR",
			new BigDecimal("0.92"), "GBP", new BigDecimal("0.79"), "JPY", new BigDecimal("151.30"), "CHF",
			new BigDecimal("0.88"));

	private Listings() {
	}

	static Set<String> symbols() {
		return PRICES.keySet();
	}

	static boolean isListed(String symbol) {
		return PRICES.containsKey(symbol);
	}

	static BigDecimal priceUsd(String symbol) {
		BigDecimal price = PRICES.get(symbol);
		if (price == null) {
			throw new UnknownSymbolException(symbol);
		}
		return price;
	}

	static String rating(String symbol) {
		return RATINGS.getOrDefault(symbol, "NR");
	}

	static BigDecimal usdRate(String currency) {
		BigDecimal rate = USD_RATES.get(currency);
		if (rate == null) {
			throw new UnsupportedCurrencyException(currency);
		}
		return rate;
	}

}
