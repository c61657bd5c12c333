package dev.eddy.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.eddy.unobserved.UnobservedFailureDetector;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/metrics.md} true: the meters Eddy registers, with their types, tags and
 * Prometheus names, are exactly the rows of its table.
 */
class MetricsReferenceTests {

	private static final Path DOCUMENT = Path.of("..", "docs", "metrics.md");

	private static final Pattern ROW = Pattern
		.compile("^\\| `([a-z.]+)` \\| (counter|gauge|timer) \\| [^|]+ \\|([^|]*)\\| `([a-z_]+)` \\|$", Pattern.MULTILINE);

	@Test
	void documentedMeters_areExactlyTheRegisteredOnes() throws IOException {
		Map<String, String> documented = new TreeMap<>();
		Matcher row = ROW.matcher(Files.readString(DOCUMENT));
		while (row.find()) {
			String tags = row.group(3).replace("`", "").replace(" ", "");
			documented.put(row.group(1), row.group(2) + " [" + tags + "] " + row.group(4));
		}
		Map<String, String> registered = new TreeMap<>();
		MetricsFixture.run((context, registry) -> {
			// eddy.futures.unobserved is registered per (exception, source) at the first report.
			context.getBean(UnobservedFailureDetector.class).reportNow(new IOException("probe"), "MetricsReferenceTests", "probe");
			registered.putAll(describe(registry));
		});
		assertThat(documented).as("rows of %s", DOCUMENT).hasSizeGreaterThanOrEqualTo(18);
		assertThat(registered).isEqualTo(documented);
	}

	private static Map<String, String> describe(MeterRegistry registry) {
		PrometheusNamingConvention prometheus = new PrometheusNamingConvention();
		Map<String, String> meters = new TreeMap<>();
		for (Meter meter : registry.getMeters()) {
			Meter.Id id = meter.getId();
			if (!id.getName().startsWith("eddy.") && !id.getName().startsWith("executor.")) {
				continue;
			}
			String type = switch (id.getType()) {
				case COUNTER -> "counter";
				case GAUGE -> "gauge";
				case TIMER -> "timer";
				default -> id.getType().name();
			};
			String tags = id.getTags().stream().map(Tag::getKey).distinct().sorted().collect(Collectors.joining(","));
			String name = prometheus.name(id.getName(), id.getType(), id.getBaseUnit());
			if (id.getType() == Meter.Type.COUNTER && !name.endsWith("_total")) {
				name += "_total"; // the exposition format adds it to counters
			}
			meters.merge(id.getName(), type + " [" + tags + "] " + name, (a, b) -> a);
		}
		return meters;
	}

}
