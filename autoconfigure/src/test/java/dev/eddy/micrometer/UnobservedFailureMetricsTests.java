package dev.eddy.micrometer;

import java.util.List;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import dev.eddy.testsupport.LogCapture;
import dev.eddy.unobserved.UnobservedFailureDetector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code eddy.futures.unobserved} counter: every report counted, tag cardinality capped.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnobservedFailureMetricsTests {

	private final UnobservedFailureDetector detector = UnobservedFailureDetector.builder().build();

	private final MeterRegistry registry = new SimpleMeterRegistry();

	@AfterEach
	void tearDown() {
		this.detector.close();
		this.registry.close();
	}

	@Test
	@DisplayName("2,007 distinct sources make at most cap + 1 series, and every report is counted")
	void count_manySources_tagsCappedAndEveryReportCounted() {
		UnobservedFailureMetrics metrics = new UnobservedFailureMetrics(this.detector, 10);
		metrics.bindTo(this.registry);
		for (int i = 0; i < 2_007; i++) {
			this.detector.reportNow(new IllegalStateException("x"), "Generated" + i + "#run", "void method");
		}
		assertThat(this.registry.find(EddyMeters.UNOBSERVED).counters()).hasSize(11);
		double total = this.registry.find(EddyMeters.UNOBSERVED).counters().stream().mapToDouble((c) -> c.count()).sum();
		assertThat(total).isEqualTo(2_007);
		assertThat(this.registry.get(EddyMeters.UNOBSERVED).tag("source", UnobservedFailureMetrics.OTHER).counter().count())
			.isEqualTo(1_997);
		assertThat(metrics.overflowCount()).isEqualTo(1_997);
	}

	@Test
	@DisplayName("distinct exception classes past the cap are counted under 'other', with one warning")
	void count_manyExceptionClasses_tagCappedAndEveryReportCounted() {
		UnobservedFailureMetrics metrics = new UnobservedFailureMetrics(this.detector, 3);
		metrics.bindTo(this.registry);
		List<Throwable> failures = List.of(new IllegalStateException(), new IllegalArgumentException(),
				new UnsupportedOperationException(), new ArithmeticException(), new java.io.IOException(),
				new java.util.concurrent.TimeoutException());
		try (LogCapture log = LogCapture.of(UnobservedFailureMetrics.class.getName())) {
			for (int round = 0; round < 2; round++) {
				for (Throwable failure : failures) {
					this.detector.reportNow(failure, "Demo#run", "void method");
				}
			}
			assertThat(log.messages(Level.WARN)).singleElement()
				.isEqualTo("More than 3 distinct values of tag 'exception' or 'source' on meter 'eddy.futures.unobserved'; "
						+ "further values are counted under 'other'");
		}
		assertThat(this.registry.find(EddyMeters.UNOBSERVED).counters()).extracting((c) -> c.getId().getTag("exception"))
			.containsExactlyInAnyOrder(IllegalStateException.class.getName(), IllegalArgumentException.class.getName(),
					UnsupportedOperationException.class.getName(), UnobservedFailureMetrics.OTHER);
		assertThat(this.registry.get(EddyMeters.UNOBSERVED).tag("exception", UnobservedFailureMetrics.OTHER).counter().count())
			.isEqualTo(6);
		double total = this.registry.find(EddyMeters.UNOBSERVED).counters().stream().mapToDouble((c) -> c.count()).sum();
		assertThat(total).isEqualTo(12);
		assertThat(metrics.overflowCount()).isEqualTo(6);
	}

	@Test
	void constructor_nonPositiveCap_isRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new UnobservedFailureMetrics(this.detector, 0))
			.withMessage("'maxTagValues' must be positive, was 0");
	}

}
