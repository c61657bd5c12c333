package dev.eddy.demo.quote;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import dev.eddy.concurrent.RunOnExecutor;

import org.springframework.stereotype.Component;

/**
 * Writes audit entries to the audit store (simulated), which accepts entries only for listed
 * instruments: an entry for anything else fails with {@link AuditStoreException}.
 */
@Component
public class AuditTrail {

	private final AtomicLong written = new AtomicLong();

	/**
	 * Writes one entry.
	 * @param symbol the instrument
	 * @param action what was done
	 * @return completes when the entry is stored
	 */
	@RunOnExecutor("io")
	public CompletableFuture<Void> record(String symbol, String action) {
		Latency.simulate(2);
		if (!Listings.isListed(symbol)) {
			throw new AuditStoreException("Audit store refused '" + action + "' for unlisted symbol '" + symbol + "'");
		}
		this.written.incrementAndGet();
		return CompletableFuture.completedFuture(null);
	}

	/** @return entries stored so far */
	public long written() {
		return this.written.get();
	}

	/**
	 * The audit store refused an entry.
	 */
	public static class AuditStoreException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		AuditStoreException(String message) {
			super(message);
		}

	}

}
