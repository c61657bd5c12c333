package dev.eddy.demo.quote;

import java.util.concurrent.CompletableFuture;

import dev.eddy.concurrent.RunOnExecutor;

import org.springframework.stereotype.Component;

/**
 * The rating vendor, which serves one request at a time. Its calls run on the small
 * {@code rating} executor, a bulkhead: when it is full the returned future fails with a
 * {@link java.util.concurrent.RejectedExecutionException} and the caller degrades.
 */
@Component
public class RatingClient {

	/**
	 * The credit rating of an instrument.
	 * @param symbol the instrument
	 * @return the rating, "NR" when not rated
	 */
	@RunOnExecutor("rating")
	public CompletableFuture<String> rating(String symbol) {
		Latency.simulate(10);
		return CompletableFuture.completedFuture(Listings.rating(symbol));
	}

}
