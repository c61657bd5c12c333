package dev.eddy.demo.quote;

import java.math.BigDecimal;

/**
 * A quote for one instrument, in the currency asked for.
 *
 * @param symbol the instrument
 * @param currency the currency of {@code price}
 * @param price the last price in {@code currency}
 * @param priceUsd the last price in US dollars, as listed
 * @param fxRate units of {@code currency} per US dollar
 * @param rating the credit rating, "NR" when not rated, or "unavailable" when the rating vendor
 * could not be asked (such a quote is not cached)
 */
public record Quote(String symbol, String currency, BigDecimal price, BigDecimal priceUsd, BigDecimal fxRate,
		String rating) {

	/** Rating of a quote served while the rating vendor's bulkhead was full. */
	public static final String RATING_UNAVAILABLE = "unavailable";

	/** @return whether the quote lacks its rating */
	public boolean degraded() {
		return RATING_UNAVAILABLE.equals(this.rating);
	}

}
