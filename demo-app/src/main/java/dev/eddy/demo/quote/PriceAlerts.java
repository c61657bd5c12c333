package dev.eddy.demo.quote;

import java.util.concurrent.atomic.AtomicLong;

import dev.eddy.concurrent.RunOnExecutor;

import org.springframework.stereotype.Component;

/**
 * Tells the watchers of an instrument that someone asked to alert them. Fire-and-forget by
 * design: the method is {@code void}, so nobody can observe a failure and Eddy reports it at once
 * as unobserved (source {@code PriceAlerts#notifyWatchers}).
 */
@Component
public class PriceAlerts {

	private final AtomicLong sent = new AtomicLong();

	/**
	 * Notifies the watchers of {@code symbol}.
	 * @param symbol the instrument
	 */
	@RunOnExecutor("io")
	public void notifyWatchers(String symbol) {
		Latency.simulate(2);
		if (!Listings.isListed(symbol)) {
			throw new IllegalStateException("No watch list for unlisted symbol '" + symbol + "'");
		}
		this.sent.incrementAndGet();
	}

	/** @return notifications sent so far */
	public long sent() {
		return this.sent.get();
	}

}
