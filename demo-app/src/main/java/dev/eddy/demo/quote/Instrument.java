package dev.eddy.demo.quote;

import java.math.BigDecimal;

/**
 * The reference data of one instrument, as the listings directory holds it.
 *
 * @param symbol the instrument
 * @param priceUsd the last listed price in US dollars
 * @param rating the credit rating, "NR" when not rated
 */
public record Instrument(String symbol, BigDecimal priceUsd, String rating) {

}
