package dev.eddy.guide;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.eddy.guide.GuideSamples.Audit;
import dev.eddy.guide.GuideSamples.Counters;
import dev.eddy.guide.GuideSamples.Portfolio;
import dev.eddy.guide.GuideSamples.Price;
import dev.eddy.guide.GuideSamples.PriceClient;
import dev.eddy.guide.GuideSamples.PriceService;
import dev.eddy.guide.GuideSamples.Reports;
import dev.eddy.test.autoconfigure.AutoConfigureEddy;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the guide's samples, so that what the guide says they do is what they do. */
@SpringJUnitConfig(GuideSamplesTests.Samples.class)
@AutoConfigureEddy
@TestPropertySource(properties = "eddy.executors.io.max-size=4")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GuideSamplesTests {

	static final java.util.List<UnobservedFailure> reports = new java.util.concurrent.CopyOnWriteArrayList<>();

	@Autowired
	PriceService prices;

	@Autowired
	Counters counters;

	@Autowired
	Portfolio portfolio;

	@Autowired
	Audit audit;

	@Autowired
	Reports reportsService;

	@Test
	void runOnExecutor_runsOnTheIoPool() throws Exception {
		assertThat(this.prices.price("ACME").get(10, TimeUnit.SECONDS)).isEqualTo(new Price("ACME", 4200));
	}

	@Test
	void loopSubmitAndRunSync_countOnTheLoop() throws Exception {
		assertThat(this.counters.increment("a").get(10, TimeUnit.SECONDS)).isEqualTo(1L);
		assertThat(this.counters.incrementNow("a")).isEqualTo(2L);
	}

	@Test
	void fanOut_sumsEveryPrice() throws Exception {
		assertThat(this.portfolio.value(List.of("ACME", "BOLT")).get(10, TimeUnit.SECONDS)).isEqualTo(8400L);
	}

	@Test
	void fireAndForget_failureIsReportedAtOnce() {
		this.audit.record(" ");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (reports.stream().noneMatch((r) -> r.source().endsWith("Audit#record")) && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(reports).anySatisfy((report) -> {
			assertThat(report.exception()).hasMessage("'event' must not be blank");
			assertThat(report.source()).endsWith("Audit#record");
		});
	}

	@Test
	void selfInvocation_runsOnTheCallerAndTheProxyOnIo() throws Exception {
		String caller = Thread.currentThread().getName();
		assertThat(this.reportsService.renderWrong("x").get(10, TimeUnit.SECONDS)).endsWith(" on " + caller);
		assertThat(this.reportsService.renderRight("x").get(10, TimeUnit.SECONDS)).contains(" on eddy-io");
	}

	@Configuration(proxyBeanMethods = false)
	@Import({ PriceService.class, Counters.class, Portfolio.class, Audit.class, Reports.class })
	static class Samples {

		@Bean
		PriceClient priceClient() {
			return (symbol) -> new Price(symbol, 4200);
		}

		@Bean
		UnobservedFailureListener collect() {
			return reports::add;
		}

	}

}
