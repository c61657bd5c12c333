package dev.eddy.demo.quote;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eddy.concurrent.Futures;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop-confined cache, driven step by step on a loop owned by the test thread.
 */
@Timeout(10)
class QuoteCacheTests {

	private final EventLoop loop = EventLoop.onCurrentThread("cache-test");

	private final Futures futures = Futures.of(this.loop);

	private final AtomicInteger loads = new AtomicInteger();

	@AfterEach
	void close() {
		this.loop.close();
	}

	@Test
	void get_whileALoadIsInFlight_sharesIt() {
		CompletableFuture<Quote> vendor = new CompletableFuture<>();
		QuoteCache cache = new QuoteCache(this.loop, this.futures, Duration.ofMinutes(1));
		LoopFuture<Quote> first = cache.get("ACME/USD", () -> load(vendor));
		LoopFuture<Quote> second = cache.get("ACME/USD", () -> load(vendor));
		vendor.complete(quote("AA"));
		this.loop.runUntilIdle();
		assertThat(second).isSameAs(first);
		assertThat(first.result().rating()).isEqualTo("AA");
		assertThat(this.loads).hasValue(1);
		assertThat(cache.size()).isEqualTo(1);
	}

	@Test
	void get_afterAFailedLoad_loadsAgain() {
		QuoteCache cache = new QuoteCache(this.loop, this.futures, Duration.ofMinutes(1));
		LoopFuture<Quote> failed = cache.get("NOPE/USD",
				() -> load(CompletableFuture.failedFuture(new UnknownSymbolException("NOPE"))));
		this.loop.runUntilIdle();
		assertThat(failed.exception()).isInstanceOf(UnknownSymbolException.class);
		assertThat(cache.size()).isZero();
		CompletableFuture<Quote> retry = new CompletableFuture<>();
		cache.get("NOPE/USD", () -> load(retry));
		assertThat(this.loads).hasValue(2);
		retry.completeExceptionally(new UnknownSymbolException("NOPE")); // nothing left pending for close()
		this.loop.runUntilIdle();
	}

	@Test
	void get_afterADegradedQuote_loadsAgain() {
		QuoteCache cache = new QuoteCache(this.loop, this.futures, Duration.ofMinutes(1));
		LoopFuture<Quote> degraded = cache.get("ACME/USD",
				() -> load(CompletableFuture.completedFuture(quote(Quote.RATING_UNAVAILABLE))));
		this.loop.runUntilIdle();
		assertThat(degraded.result().degraded()).isTrue();
		assertThat(cache.size()).isZero();
	}

	@Test
	void get_afterTheTimeToLive_loadsAgain() throws InterruptedException {
		QuoteCache cache = new QuoteCache(this.loop, this.futures, Duration.ofMillis(20));
		cache.get("ACME/USD", () -> load(CompletableFuture.completedFuture(quote("AA"))));
		this.loop.runUntilIdle();
		assertThat(cache.size()).isEqualTo(1);
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (cache.size() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(5);
			this.loop.runUntilIdle();
		}
		assertThat(cache.size()).isZero();
	}

	private CompletableFuture<Quote> load(CompletableFuture<Quote> vendor) {
		this.loads.incrementAndGet();
		return vendor;
	}

	private static Quote quote(String rating) {
		return new Quote("ACME", "USD", new BigDecimal("101.25"), new BigDecimal("101.25"), BigDecimal.ONE, rating);
	}

}
