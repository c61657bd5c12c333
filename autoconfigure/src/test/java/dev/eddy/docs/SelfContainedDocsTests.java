package dev.eddy.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A clone of the repository must be able to follow its documents: none cites a file that is not
 * in the repository, and {@code docs/tornado-mapping.md} opens with its table of every Tornado
 * name on the two Tornado documentation pages it follows.
 */
class SelfContainedDocsTests {

	private static final Path ROOT = Path.of("..");

	/** What only exists outside the repository (the design notes the project was built from). */
	private static final List<String> OUTSIDE = List.of("TORNADO-SEMANTICS", "DESIGN.md", "DESIGN §", "../shared", "/work/");

	/** Every name of the two pages (4.4.3 and 6.x) and of the module surface they describe. */
	private static final List<String> TORNADO_NAMES = List.of("`tornado.concurrent.Future`", "`Future.result(",
			"`Future.exception(", "`Future.exc_info()`", "`Future.add_done_callback(", "`Future.remove_done_callback(",
			"`Future.done()`", "`Future.running()`", "`Future.cancel()`", "`Future.cancelled()`", "`Future.set_result(",
			"`Future.set_exception(", "`Future.set_exc_info(", "`Future.get_loop()`", "`TracebackFuture`", "`FUTURES`",
			"`is_future(", "`concurrent.futures.Future`", "`asyncio.InvalidStateError`", "`IOLoop.add_future(",
			"`IOLoop.run_in_executor`", "`executor.submit()`", "`run_on_executor`", "`run_on_executor(executor=",
			"`io_loop`", "`callback=`", "`return_future`", "`StackContext`", "`ReturnValueIgnoredError`",
			"`chain_future(", "`future_set_result_unless_cancelled(", "`future_set_exception_unless_cancelled(",
			"`future_set_exc_info(", "`future_add_done_callback(", "`DummyExecutor`", "`dummy_executor`");

	@Test
	@DisplayName("no document cites a file outside the repository")
	void documents_citeNothingOutsideTheRepository() throws IOException {
		List<Path> documents = new ArrayList<>();
		documents.add(ROOT.resolve("README.md"));
		try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
			files.filter((path) -> path.toString().endsWith(".md")).forEach(documents::add);
		}
		List<String> citations = new ArrayList<>();
		for (Path document : documents) {
			String text = Files.readString(document);
			for (String outside : OUTSIDE) {
				if (text.contains(outside)) {
					citations.add(document.getFileName() + ": " + outside);
				}
			}
		}
		assertThat(documents).hasSizeGreaterThan(3);
		assertThat(citations).isEmpty();
	}

	@Test
	@DisplayName("tornado-mapping.md opens with a row for every Tornado name of the two pages")
	void tornadoMapping_opensWithEveryTornadoName() throws IOException {
		String document = Files.readString(ROOT.resolve("docs").resolve("tornado-mapping.md"));
		int first = document.indexOf("\n## ");
		assertThat(document.substring(first + 1)).startsWith("## Tornado names\n");
		String table = document.substring(first, document.indexOf("\n## ", first + 1));
		List<String> firstColumn = table.lines().filter((line) -> line.startsWith("| `") || line.startsWith("| awaiting"))
			.map((line) -> line.substring(0, line.indexOf(" | ", 2)))
			.toList();
		List<String> missing = TORNADO_NAMES.stream()
			.filter((name) -> firstColumn.stream().noneMatch((cell) -> cell.contains(name)))
			.toList();
		assertThat(missing).as("Tornado names without a row").isEmpty();
	}

}
