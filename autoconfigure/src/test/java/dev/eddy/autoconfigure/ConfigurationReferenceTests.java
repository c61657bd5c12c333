package dev.eddy.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/configuration.md} in step with the configuration metadata: every property
 * the metadata lists has a row with its default.
 */
class ConfigurationReferenceTests {

	private static final Path DOCUMENT = Path.of("..", "docs", "configuration.md");

	private static final Pattern PROPERTY = Pattern
		.compile("\\{\\s*\"name\"\\s*:\\s*\"([^\"]+)\"(.*?)\\}", Pattern.DOTALL);

	private static final Pattern DEFAULT = Pattern.compile("\"defaultValue\"\\s*:\\s*\"?([^\",\\n]+)\"?");

	@Test
	void everyPropertyOfTheMetadata_isDocumentedWithItsDefault() throws IOException {
		String metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("configuration metadata on the class path").isNotNull();
			metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		String properties = metadata.substring(metadata.indexOf("\"properties\""), metadata.indexOf("\"hints\""));
		String document = Files.readString(DOCUMENT);
		List<String> problems = new ArrayList<>();
		int count = 0;
		Matcher property = PROPERTY.matcher(properties);
		while (property.find()) {
			String name = property.group(1);
			if (!name.startsWith("eddy.") || name.equals("eddy.executors")) {
				continue;
			}
			count++;
			int row = document.indexOf("| `" + name + "` |");
			if (row < 0) {
				problems.add(name + ": no row");
				continue;
			}
			String line = document.substring(row, document.indexOf('\n', row));
			Matcher defaultValue = DEFAULT.matcher(property.group(2));
			String expected = defaultValue.find() ? defaultValue.group(1).trim() : "—";
			if (!line.contains("| `" + expected + "` |")) {
				problems.add(name + ": default " + expected + " not in row " + line);
			}
		}
		assertThat(count).as("eddy properties in the metadata").isGreaterThanOrEqualTo(15);
		assertThat(problems).isEmpty();
	}

}
