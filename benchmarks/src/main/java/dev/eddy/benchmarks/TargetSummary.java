package dev.eddy.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The targets over repeated JMH runs: each run (one JSON file) is checked on its own with
 * {@link ResultsReport.Targets}, then every target's figure is reported as the median of the runs
 * with their range, and the verdict is taken on the median (single runs spread too widely on two
 * cores for one run to decide).
 * <p>Writes a Markdown table and a CSV ({@code label,number,target,median,min,max,limit,verdict,runs})
 * that {@code benchmarks/plot-jmh.sh} draws.
 * <p>Usage: {@code TargetSummary <out.md> <out.csv> <label> <run1.json> <run2.json>...}
 */
public final class TargetSummary {

	private TargetSummary() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length < 4) {
			throw new IllegalArgumentException("usage: TargetSummary <out.md> <out.csv> <label> <run.json>...");
		}
		String label = args[2];
		Map<String, List<ResultsReport.Check>> byTarget = new LinkedHashMap<>();
		int runs = 0;
		for (int i = 3; i < args.length; i++) {
			ResultsReport.Targets targets = new ResultsReport.Targets(ResultsReport.Targets.read(args[i]), new StringBuilder());
			targets.checkAll();
			runs++;
			for (ResultsReport.Check check : targets.checks) {
				if (!Double.isNaN(check.value())) {
					byTarget.computeIfAbsent(check.number() + "|" + check.target(), (k) -> new ArrayList<>()).add(check);
				}
			}
		}
		StringBuilder md = new StringBuilder();
		md.append("| # | target (").append(label).append(") | median of ").append(runs)
			.append(" runs | range | each run | verdict (on the median) |\n| --- | --- | ---: | --- | --- | --- |\n");
		StringBuilder csv = new StringBuilder();
		if (!Files.exists(Path.of(args[1]))) {
			csv.append("label,number,target,median,min,max,limit,verdict,runs\n");
		}
		for (List<ResultsReport.Check> checks : byTarget.values()) {
			double[] values = checks.stream().mapToDouble(ResultsReport.Check::value).sorted().toArray();
			double median = median(values);
			ResultsReport.Check first = checks.get(0);
			boolean ok = first.passes(median);
			StringBuilder each = new StringBuilder();
			for (ResultsReport.Check check : checks) {
				each.append(each.length() == 0 ? "" : "; ").append(check.measured());
			}
			md.append("| ").append(first.number()).append(" | ").append(first.target()).append(" | ")
				.append(ResultsReport.fmt(median)).append(" | [").append(ResultsReport.fmt(values[0])).append(", ")
				.append(ResultsReport.fmt(values[values.length - 1])).append("] | ").append(each).append(" | ")
				.append(ok ? "met" : "**not met**").append(" |\n");
			csv.append(label).append(',').append(first.number()).append(",\"").append(first.target().replace("\"", "'"))
				.append("\",").append(num(median)).append(',').append(num(values[0])).append(',')
				.append(num(values[values.length - 1])).append(',').append(num(first.limit())).append(',')
				.append(ok ? "met" : "not met").append(',').append(values.length).append('\n');
		}
		Files.writeString(Path.of(args[0]), md.toString(), StandardCharsets.UTF_8);
		Files.writeString(Path.of(args[1]), csv.toString(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
				java.nio.file.StandardOpenOption.APPEND);
		System.out.println("Wrote " + args[0] + " and " + args[1] + " (" + label + ", " + runs + " runs)");
	}

	static double median(double[] sorted) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		double[] copy = Arrays.copyOf(sorted, sorted.length);
		Arrays.sort(copy);
		int middle = copy.length / 2;
		return (copy.length % 2 == 1) ? copy[middle] : (copy[middle - 1] + copy[middle]) / 2;
	}

	private static String num(double value) {
		return String.format(Locale.ROOT, "%.4f", value);
	}

}
