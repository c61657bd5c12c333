package dev.eddy.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Joins JMH JSON result files (each a top-level array) into one array, so that one run's
 * several JMH invocations are checked together by {@link TargetSummary}.
 * <p>Usage: {@code JsonConcat <out.json> <in.json>...}
 */
public final class JsonConcat {

	private JsonConcat() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length < 2) {
			throw new IllegalArgumentException("usage: JsonConcat <out.json> <in.json>...");
		}
		StringBuilder out = new StringBuilder("[\n");
		for (int i = 1; i < args.length; i++) {
			String text = Files.readString(Path.of(args[i])).trim();
			if (!text.startsWith("[") || !text.endsWith("]")) {
				throw new IllegalArgumentException(args[i] + " is not a JMH JSON array (it must start with '[' and end with ']')");
			}
			String inner = text.substring(1, text.length() - 1).trim();
			if (!inner.isEmpty()) {
				out.append(out.length() > 2 ? ",\n" : "").append(inner);
			}
		}
		out.append("\n]\n");
		Files.writeString(Path.of(args[0]), out.toString(), StandardCharsets.UTF_8);
	}

}
