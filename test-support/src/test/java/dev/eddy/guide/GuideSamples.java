package dev.eddy.guide;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import dev.eddy.concurrent.Futures;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.loop.EventLoop;
import dev.eddy.unobserved.UnobservedFailureListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The code samples of {@code docs/guide.md}, compiled by the build (and run by
 * {@link GuideSamplesTests}). Each sample sits between {@code // tag::name[]} and
 * {@code // end::name[]}; the guide copies them verbatim.
 */
final class GuideSamples {

	private GuideSamples() {
	}

	record Price(String symbol, long cents) {
	}

	interface PriceClient {

		Price fetch(String symbol);

	}

	// tag::run-on-executor[]
	@Service
	public static class PriceService {                      // eddy.executors.io.max-size=16

		private final PriceClient client;

		public PriceService(PriceClient client) {
			this.client = client;
		}

		@RunOnExecutor("io")                                // runs on the bounded 'io' pool
		public CompletableFuture<Price> price(String symbol) {
			return CompletableFuture.completedFuture(this.client.fetch(symbol));   // blocking call, off the servlet thread
		}

	}

	@RestController
	public static class PriceController {

		private final PriceService prices;

		public PriceController(PriceService prices) {
			this.prices = prices;
		}

		@GetMapping("/prices/{symbol}")
		public CompletableFuture<Price> price(@PathVariable String symbol) {
			return this.prices.price(symbol);               // Spring MVC answers when the future completes
		}

	}
	// end::run-on-executor[]

	// tag::loop-submit[]
	@Service
	public static class Counters {

		private final EventLoop loop;                       // the 'eddyLoop' bean

		private final java.util.Map<String, Long> counts = new java.util.HashMap<>();   // loop thread only: no locks

		public Counters(EventLoop loop) {
			this.loop = loop;
		}

		/** From any thread (a servlet thread): hop onto the loop, get a thread-safe future back. */
		public CompletableFuture<Long> increment(String key) {
			return this.loop.submit(() -> LoopFuture.completed(this.counts.merge(key, 1L, Long::sum)));
		}

		/** The blocking form, for code that must have the value now (never call it on a loop thread). */
		public long incrementNow(String key) throws TimeoutException, InterruptedException {
			return this.loop.runSync(() -> LoopFuture.completed(this.counts.merge(key, 1L, Long::sum)),
					Duration.ofSeconds(2));
		}

	}
	// end::loop-submit[]

	// tag::fan-out[]
	@Service
	public static class Portfolio {

		private final PriceService prices;

		private final Futures futures;                      // the 'eddyFutures' bean

		public Portfolio(PriceService prices, Futures futures) {
			this.prices = prices;
			this.futures = futures;
		}

		public CompletableFuture<Long> value(List<String> symbols) {
			List<CompletableFuture<Price>> each = symbols.stream().map(this.prices::price).toList();
			// Futures.allOf, unlike CompletableFuture.allOf, counts as observing every input:
			// a failure is carried on by the result once, not reported again for the input.
			return this.futures.allOf(each.toArray(CompletableFuture[]::new))
				.thenApply((ignored) -> each.stream().mapToLong((price) -> price.join().cents()).sum());
		}

	}
	// end::fan-out[]

	// tag::fire-and-forget[]
	@Service
	public static class Audit {

		@RunOnExecutor("io")
		public void record(String event) {                  // returns at once; runs on 'io'
			if (event.isBlank()) {
				// Nobody can observe a void method's failure: Eddy reports it at once, logged on
				// 'dev.eddy.unobserved' and counted in eddy.futures.unobserved.
				throw new IllegalArgumentException("'event' must not be blank");
			}
		}

	}

	@RestController
	public static class AuditController {

		private final Audit audit;

		public AuditController(Audit audit) {
			this.audit = audit;
		}

		@PostMapping("/audit/{event}")
		public void audit(@PathVariable String event) {
			this.audit.record(event);
		}

	}
	// end::fire-and-forget[]

	// tag::listener[]
	@Configuration(proxyBeanMethods = false)
	public static class UnobservedAlerts {

		private static final Logger logger = LoggerFactory.getLogger(UnobservedAlerts.class);

		@Bean
		UnobservedFailureListener pageOnUnobservedFailure() {
			// Called once per report, on the detector's thread or where a void method failed: be quick.
			return (failure) -> logger.warn("unobserved {} from {}", failure.exception(), failure.source());
		}

	}
	// end::listener[]

	// tag::self-invocation[]
	@Service
	public static class Reports {

		private final ObjectProvider<Reports> self;         // the proxy of this very bean

		public Reports(ObjectProvider<Reports> self) {
			this.self = self;
		}

		@RunOnExecutor("io")
		public CompletableFuture<String> render(String name) {
			return CompletableFuture.completedFuture("report " + name + " on " + Thread.currentThread().getName());
		}

		public CompletableFuture<String> renderWrong(String name) {
			return render(name);                            // this.render: no proxy, runs on the CALLER's thread
		}

		public CompletableFuture<String> renderRight(String name) {
			return this.self.getObject().render(name);      // through the proxy: runs on 'io'
		}

	}
	// end::self-invocation[]

}
