package dev.eddy.demo.quote;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;

import org.springframework.stereotype.Component;

/**
 * The listings directory: a blocking lookup (simulated), run on the {@code io} executor. It
 * returns Eddy's {@link LoopFuture}, which a controller may return as it is: Spring MVC writes
 * its value as the body and sends its failure through the application's
 * {@code @ExceptionHandler} ({@link QuoteProblems}).
 */
@Component
public class InstrumentDirectory {

	/**
	 * The reference data of an instrument. Called off the loop (on a servlet thread), the future
	 * belongs to the default loop, {@code eddyLoop}, and completes there.
	 * @param symbol the instrument, upper case
	 * @return the instrument; fails with {@link UnknownSymbolException}
	 */
	@RunOnExecutor("io")
	public LoopFuture<Instrument> instrument(String symbol) {
		Latency.simulate(2);
		return LoopFuture.completed(new Instrument(symbol, Listings.priceUsd(symbol), Listings.rating(symbol)));
	}

}
