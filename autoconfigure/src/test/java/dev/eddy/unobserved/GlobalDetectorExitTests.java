package dev.eddy.unobserved;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link UnobservedFailureDetector#global() global} detector is never closed; what its log
 * held back is still summed up, when the JVM exits. Checked in a child JVM that reports a flood
 * from one place and exits.
 */
class GlobalDetectorExitTests {

	@Test
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	@DisplayName("GC-1: the global detector's held-back count is logged when the JVM exits")
	void globalDetector_floodThenExit_summaryLogged() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Flood.class.getName())
			.redirectErrorStream(true)
			.start();
		List<String> output = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				output.add(line);
			}
		}
		assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(child.exitValue()).as("exit code; output:%n%s", String.join("\n", output)).isZero();
		assertThat(output).filteredOn((line) -> line.contains("Future exception was never retrieved: flood")).hasSize(1);
		assertThat(output).anySatisfy((line) -> assertThat(line).contains(
				"4 similar error(s) were not logged in the last window (logging is rate-limited and de-duplicated"));
	}

	/** The child JVM: five reports from one place through the global detector, then exit. */
	public static final class Flood {

		private Flood() {
		}

		/**
		 * Reports and exits.
		 * @param args none
		 */
		public static void main(String[] args) throws IOException {
			for (int i = 0; i < 5; i++) {
				UnobservedFailureDetector.global().reportNow(samePlace(), "Demo#run", "flood " + i);
			}
			System.out.println("reported");
		}

		private static IllegalStateException samePlace() {
			return new IllegalStateException("same place");
		}

	}

}
