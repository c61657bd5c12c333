package dev.eddy.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.eddy.demo.quote.AuditTrail;
import dev.eddy.demo.quote.PriceAlerts;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quote service over HTTP, with the starter's real executors, loop and detector.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Timeout(60)
class QuoteServiceTests {

	@Autowired
	private RestTestClient client;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private AuditTrail audit;

	@Autowired
	private PriceAlerts alerts;

	@Test
	void quote_combinesPriceRateAndRating() {
		Map<String, Object> quote = getQuote("/quotes/acme?currency=EUR");
		assertThat(quote).containsEntry("symbol", "ACME")
			.containsEntry("currency", "EUR")
			.containsEntry("price", 93.15)
			.containsEntry("priceUsd", 101.25)
			.containsEntry("fxRate", 0.92)
			.containsEntry("rating", "AA");
	}

	@Test
	void quote_ofAnUnlistedSymbol_isNotFound() {
		this.client.get().uri("/quotes/NOPE").exchange()
			.expectStatus().isNotFound()
			.expectBody()
			.jsonPath("$.title").isEqualTo("Unknown symbol");
	}

	@Test
	void instrument_isTheValueOfTheDirectorysLoopFuture() {
		this.client.get().uri("/quotes/crux/instrument").exchange()
			.expectStatus().isOk()
			.expectHeader().contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.symbol").isEqualTo("CRUX")
			.jsonPath("$.priceUsd").isEqualTo(350.00)
			.jsonPath("$.rating").isEqualTo("AAA");
	}

	@Test
	void instrument_ofAnUnlistedSymbol_isAProblemDetailFromTheExceptionHandler() {
		this.client.get().uri("/quotes/nope/instrument").exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title").isEqualTo("Unknown symbol")
			.jsonPath("$.detail").isEqualTo("No instrument is listed under 'NOPE'")
			.jsonPath("$.symbol").isEqualTo("NOPE");
	}

	@Test
	void quote_inAnUnknownCurrency_isABadRequest() {
		this.client.get().uri("/quotes/ACME?currency=XXX").exchange().expectStatus().isBadRequest();
	}

	@Test
	void quotes_ofEverySymbolAtOnce_answerInOrderAndDegradeWhenTheRatingBulkheadIsFull() {
		List<String> symbols = List.of("ACME", "BOLT", "CRUX", "DYNE", "ECHO", "FLUX", "GRID", "HALO");
		List<Map<String, Object>> quotes = this.client.get()
			.uri("/quotes?symbols=" + String.join(",", symbols) + "&currency=GBP")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {
			})
			.returnResult()
			.getResponseBody();
		assertThat(quotes).extracting((q) -> q.get("symbol")).containsExactlyElementsOf(symbols);
		assertThat(quotes).allSatisfy((q) -> assertThat(q.get("currency")).isEqualTo("GBP"));
		// One rating call runs and one waits; the others are rejected and their quotes degrade
		// instead of failing.
		assertThat(quotes).anySatisfy((q) -> assertThat(q.get("rating")).isEqualTo("unavailable"));
		// A degraded quote is not cached: asked alone, HALO gets its rating ("NR": not rated).
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(getQuote("/quotes/HALO?currency=GBP")).containsEntry("rating", "NR"));
	}

	@Test
	void audit_ofAListedSymbol_isWritten() {
		long before = this.audit.written();
		this.client.post().uri("/quotes/BOLT/audit").exchange().expectStatus().isAccepted();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.audit.written() == before + 1);
	}

	@Test
	void audit_thatFails_isCountedAsUnobservedOnceCollected() {
		double before = unobserved("dev.eddy.demo.quote.AuditTrail$AuditStoreException", "AuditTrail#record");
		for (int i = 0; i < 3; i++) {
			this.client.post().uri("/quotes/FAIL/audit").exchange().expectStatus().isAccepted();
		}
		Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			System.gc();
			return unobserved("dev.eddy.demo.quote.AuditTrail$AuditStoreException", "AuditTrail#record") >= before + 3;
		});
		assertThat(unobserved("dev.eddy.demo.quote.AuditTrail$AuditStoreException", "AuditTrail#record"))
			.isEqualTo(before + 3);
	}

	@Test
	void alert_thatFails_isCountedAsUnobservedAtOnce() {
		double before = unobserved("java.lang.IllegalStateException", "PriceAlerts#notifyWatchers");
		long sent = this.alerts.sent();
		this.client.post().uri("/quotes/FAIL/alerts").exchange().expectStatus().isAccepted();
		this.client.post().uri("/quotes/CRUX/alerts").exchange().expectStatus().isAccepted();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> unobserved("java.lang.IllegalStateException", "PriceAlerts#notifyWatchers") == before + 1
					&& this.alerts.sent() == sent + 1);
	}

	private double unobserved(String exception, String source) {
		var counter = this.registry.find("eddy.futures.unobserved").tag("exception", exception).tag("source", source).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private Map<String, Object> getQuote(String uri) {
		return this.client.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
	}

}
