package dev.eddy.demo.quote;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import dev.eddy.concurrent.LoopFuture;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP API of the quote service. Spring MVC completes the request when a returned
 * {@code CompletableFuture} or {@code LoopFuture} completes, so no servlet thread waits for the
 * vendors; failures are answered by {@link QuoteProblems}.
 */
@RestController
@RequestMapping("/quotes")
public class QuoteController {

	private final QuoteService quotes;

	private final AuditTrail audit;

	private final PriceAlerts alerts;

	private final InstrumentDirectory directory;

	public QuoteController(QuoteService quotes, AuditTrail audit, PriceAlerts alerts, InstrumentDirectory directory) {
		this.quotes = quotes;
		this.audit = audit;
		this.alerts = alerts;
		this.directory = directory;
	}

	/**
	 * One quote: {@code GET /quotes/ACME?currency=EUR}.
	 * @param symbol the instrument
	 * @param currency the currency, US dollars by default
	 * @return the quote
	 */
	@GetMapping("/{symbol}")
	public CompletableFuture<Quote> quote(@PathVariable String symbol,
			@RequestParam(defaultValue = "USD") String currency) {
		return this.quotes.quote(symbol, currency);
	}

	/**
	 * The reference data of an instrument: {@code GET /quotes/ACME/instrument}. The controller
	 * returns the {@code LoopFuture} of the {@code @RunOnExecutor} directory as it is; an unlisted
	 * symbol is a 404 problem detail from {@link QuoteProblems#unknownSymbol}.
	 * @param symbol the instrument
	 * @return the instrument
	 */
	@GetMapping("/{symbol}/instrument")
	public LoopFuture<Instrument> instrument(@PathVariable String symbol) {
		return this.directory.instrument(symbol.toUpperCase(Locale.ROOT));
	}

	/**
	 * Several quotes: {@code GET /quotes?symbols=ACME,BOLT&currency=EUR}.
	 * @param symbols comma-separated instruments
	 * @param currency the currency, US dollars by default
	 * @return the quotes in the order asked
	 */
	@GetMapping
	public CompletableFuture<List<Quote>> quotes(@RequestParam String symbols,
			@RequestParam(defaultValue = "USD") String currency) {
		List<String> list = Arrays.stream(symbols.split(",")).map(String::trim).filter((s) -> !s.isEmpty()).toList();
		return this.quotes.quotes(list, currency);
	}

	/**
	 * Records that a client looked at an instrument, without waiting for the audit store:
	 * {@code POST /quotes/ACME/audit}. Answers 202 at once.
	 * <p>The returned future is dropped on purpose, so a failed write (the store refuses unlisted
	 * symbols) is seen by nobody: Eddy's detector reports it when the future is garbage-collected
	 * and counts it in {@code eddy_futures_unobserved_total}. This is the bug the dashboard is
	 * there to catch; a real service would attach a handler or await the write.
	 * @param symbol the instrument
	 * @return 202 Accepted
	 */
	@PostMapping("/{symbol}/audit")
	public ResponseEntity<Void> audit(@PathVariable String symbol) {
		this.audit.record(symbol.toUpperCase(Locale.ROOT), "viewed"); // fire and forget
		return ResponseEntity.accepted().build();
	}

	/**
	 * Asks for the watchers of an instrument to be alerted: {@code POST /quotes/ACME/alerts}.
	 * Answers 202 at once; the {@code void} method's failures are reported at once as unobserved.
	 * @param symbol the instrument
	 * @return 202 Accepted
	 */
	@PostMapping("/{symbol}/alerts")
	public ResponseEntity<Void> alert(@PathVariable String symbol) {
		this.alerts.notifyWatchers(symbol.toUpperCase(Locale.ROOT));
		return ResponseEntity.accepted().build();
	}

}
