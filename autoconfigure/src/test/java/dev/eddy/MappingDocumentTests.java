package dev.eddy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/tornado-mapping.md} true: every statement id of the covered sections of
 * TORNADO-SEMANTICS.md has a row, and every test method the document names exists.
 */
class MappingDocumentTests {

	private static final Path DOCUMENT = Path.of("..", "docs", "tornado-mapping.md");

	private static final Path TESTS = Path.of("src", "test", "java");

	/** Statement families and how many statements each has in TORNADO-SEMANTICS.md. */
	private static final Object[][] FAMILIES = { { "S", 3 }, { "AF", 11 }, { "CB", 10 }, { "GC", 8 }, { "T4", 15 },
			{ "ROE", 9 }, { "ROE4", 4 }, { "RF", 9 }, { "CH", 10 }, { "CH4", 5 }, { "FSR", 4 }, { "FSE", 3 }, { "FSX", 5 },
			{ "FADC", 3 }, { "IOL", 3 } };

	@Test
	void everyStatementId_hasARow() throws IOException {
		String document = Files.readString(DOCUMENT);
		List<String> missing = new ArrayList<>();
		for (Object[] family : FAMILIES) {
			for (int i = 1; i <= (int) family[1]; i++) {
				String id = family[0] + "-" + i;
				if (!document.contains("\n| " + id + " | ")) {
					missing.add(id);
				}
			}
		}
		assertThat(missing).as("statement ids without a row in %s", DOCUMENT).isEmpty();
	}

	@Test
	void everyNamedTestMethod_exists() throws IOException {
		String document = Files.readString(DOCUMENT);
		Set<String> named = new LinkedHashSet<>();
		Matcher matcher = Pattern.compile("#([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_*])").matcher(document);
		while (matcher.find()) {
			named.add(matcher.group(1));
		}
		StringBuilder sources = new StringBuilder();
		try (Stream<Path> files = Files.walk(TESTS)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				sources.append(Files.readString(file));
			}
		}
		List<String> unknown = named.stream().filter((name) -> !sources.toString().contains(" " + name + "(")).toList();
		assertThat(named).as("test methods named in the document").hasSizeGreaterThan(100);
		assertThat(unknown).as("test methods named in %s that do not exist", DOCUMENT).isEmpty();
	}

}
