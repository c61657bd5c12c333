package dev.eddy.demo.quote;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

import dev.eddy.concurrent.Futures;
import dev.eddy.loop.EventLoop;

import org.springframework.stereotype.Service;

/**
 * Builds quotes: fans out to the market-data and rating vendors on their executors, combines the
 * three answers, and caches the result on the event loop.
 */
@Service
public class QuoteService {

	/** How long a complete quote is served from the cache. */
	static final Duration CACHE_TIME_TO_LIVE = Duration.ofSeconds(1);

	private final EventLoop loop;

	private final Futures futures;

	private final MarketDataClient marketData;

	private final RatingClient ratings;

	private final QuoteCache cache;

	public QuoteService(EventLoop loop, Futures futures, MarketDataClient marketData,
			RatingClient ratings) {
		this.loop = loop;
		this.futures = futures;
		this.marketData = marketData;
		this.ratings = ratings;
		this.cache = new QuoteCache(loop, futures, CACHE_TIME_TO_LIVE);
	}

	/**
	 * The quote of one instrument. Callable from any thread: hops onto the loop, where the cache
	 * lives, and hands the outcome back as a thread-safe future.
	 * @param symbol the instrument
	 * @param currency the currency code
	 * @return the quote; fails with {@link UnknownSymbolException} or
	 * {@link UnsupportedCurrencyException}
	 */
	public CompletableFuture<Quote> quote(String symbol, String currency) {
		String sym = symbol.toUpperCase(Locale.ROOT);
		String cur = currency.toUpperCase(Locale.ROOT);
		return this.loop.submit(() -> this.cache.get(sym + "/" + cur, () -> load(sym, cur)));
	}

	/**
	 * The quotes of several instruments, in the order asked.
	 * @param symbols the instruments
	 * @param currency the currency code
	 * @return the quotes; fails if one fails
	 */
	public CompletableFuture<List<Quote>> quotes(List<String> symbols, String currency) {
		List<CompletableFuture<Quote>> each = symbols.stream().map((symbol) -> quote(symbol, currency)).toList();
		// Futures.allOf, unlike CompletableFuture.allOf, counts as observing each input.
		return this.futures.allOf(each.toArray(CompletableFuture[]::new))
			.thenApply((ignored) -> each.stream().map(CompletableFuture::join).toList());
	}

	/** Runs on the loop thread: starts the three vendor calls and combines their answers. */
	private CompletableFuture<Quote> load(String symbol, String currency) {
		CompletableFuture<BigDecimal> priceUsd = this.marketData.lastPriceUsd(symbol);
		CompletableFuture<BigDecimal> rate = this.marketData.usdRate(currency);
		CompletableFuture<String> rating = this.ratings.rating(symbol).exceptionally(QuoteService::ratingFallback);
		return this.futures.allOf(priceUsd, rate, rating).thenApply((ignored) -> {
			BigDecimal usd = priceUsd.join();
			BigDecimal fx = rate.join();
			return new Quote(symbol, currency, usd.multiply(fx).setScale(2, RoundingMode.HALF_EVEN), usd, fx,
					rating.join());
		});
	}

	/** A full rating bulkhead degrades the quote; anything else fails it. */
	private static String ratingFallback(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof RejectedExecutionException) {
			return Quote.RATING_UNAVAILABLE;
		}
		throw (failure instanceof CompletionException completion) ? completion : new CompletionException(cause);
	}

}
