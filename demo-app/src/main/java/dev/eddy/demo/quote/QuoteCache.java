package dev.eddy.demo.quote;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import dev.eddy.concurrent.Futures;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;

/**
 * Quotes by key, kept for a short time, with concurrent requests for the same key sharing one
 * load. Confined to the event loop's thread: the maps need no locks because only the loop
 * touches them, Tornado style. Every method must be called on the loop thread.
 */
final class QuoteCache {

	private final EventLoop loop;

	private final Futures futures;

	private final Duration timeToLive;

	/** Loads in flight and fresh quotes, as futures: waiters of a pending one share its load. */
	private final Map<String, LoopFuture<Quote>> entries = new HashMap<>();

	QuoteCache(EventLoop loop, Futures futures, Duration timeToLive) {
		this.loop = loop;
		this.futures = futures;
		this.timeToLive = timeToLive;
	}

	/**
	 * The quote of {@code key}: the cached or in-flight one, else a new load.
	 * @param key the cache key
	 * @param loader starts the load, called on the loop thread
	 * @return a future of the loop
	 */
	LoopFuture<Quote> get(String key, Supplier<? extends CompletionStage<Quote>> loader) {
		LoopFuture<Quote> entry = this.entries.get(key);
		if (entry != null) {
			return entry;
		}
		LoopFuture<Quote> load = this.loop.newFuture();
		this.entries.put(key, load);
		this.futures.chain(loader.get(), load);
		load.addDoneCallback((done) -> settle(key, done));
		return load;
	}

	/** Keeps a complete quote for the time to live; forgets failures and degraded quotes at once. */
	private void settle(String key, LoopFuture<Quote> done) {
		boolean keep = !done.cancelled() && done.exception() == null && !done.result().degraded();
		if (keep) {
			this.loop.callLater(this.timeToLive, () -> this.entries.remove(key, done));
		}
		else {
			this.entries.remove(key, done);
		}
	}

	/** @return entries held now */
	int size() {
		return this.entries.size();
	}

}
