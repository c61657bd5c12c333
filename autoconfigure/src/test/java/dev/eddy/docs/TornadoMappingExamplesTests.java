package dev.eddy.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.eddy.autoconfigure.EddyExecutorsAutoConfiguration;
import dev.eddy.autoconfigure.EddyLoopAutoConfiguration;
import dev.eddy.autoconfigure.EddyRunOnExecutorAutoConfiguration;
import dev.eddy.concurrent.Futures;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.GarbageCollection;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of Tornado 4.4.3's {@code tornado.concurrent} page, written in Java as
 * {@code docs/tornado-mapping.md} shows them: each runs here, and every {@code java} block of the
 * document must be code of this file (compared line by line, indentation ignored), so the
 * document cannot drift from code that compiles and passes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TornadoMappingExamplesTests {

	private static final Path DOCUMENT = Path.of("..", "docs", "tornado-mapping.md");

	private static final Path THIS_FILE = Path.of("src", "test", "java", "dev", "eddy", "docs",
			"TornadoMappingExamplesTests.java");

	// ---------------------------------------------------------------- example 1: run_on_executor

	/** {@code @run_on_executor(executor='_thread_pool') def foo(self): pass} (ROE-1, ROE-3). */
	public static class Foo {

		private final ExecutorService threadPool = Executors.newFixedThreadPool(2, (task) -> new Thread(task, "thread-pool"));

		@RunOnExecutor(executor = "threadPool")
		public CompletableFuture<String> foo() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName()); // Tornado's body: pass
		}

		public void close() {
			this.threadPool.shutdown();
		}

	}

	@Test
	@DisplayName("ROE-1, ROE-2, ROE-3: @RunOnExecutor(executor = \"threadPool\") runs foo() on the bean's own threadPool field and returns a future")
	void runOnExecutorExample_runsOnTheNamedField() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, EddyLoopAutoConfiguration.class,
					EddyExecutorsAutoConfiguration.class, EddyRunOnExecutorAutoConfiguration.class))
			.withBean(Foo.class, Foo::new, (definition) -> definition.setDestroyMethodName("close"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				CompletableFuture<String> future = context.getBean(Foo.class).foo();
				assertThat(future.get(10, TimeUnit.SECONDS)).isEqualTo("thread-pool");
			});
	}

	// ---------------------------------------------------------------- example 2: return_future

	/**
	 * {@code @return_future def future_func(arg1, arg2, callback)} and the
	 * {@code @gen.engine def caller(callback)} that yields it (RF-2, RF-3).
	 */
	static final class ReturnFutureExample {

		private final EventLoop loop;

		private final Futures futures;

		ReturnFutureExample(EventLoop loop) {
			this.loop = loop;
			this.futures = Futures.of(loop);
		}

		// @return_future def future_func(arg1, arg2, callback): ... callback(result)
		LoopFuture<Integer> futureFunc(int arg1, int arg2) {
			return this.futures.fromCallback((callback) ->
					// Do stuff (possibly asynchronous)
					this.loop.callLater(Duration.ofMillis(10), () -> callback.accept(arg1 + arg2)));
		}

		// @gen.engine def caller(callback): yield future_func(arg1, arg2); callback()
		void caller(Runnable callback) {
			futureFunc(1, 2).addDoneCallback((future) -> {
				future.result(); // as yield does: a failure is raised here (and the loop logs it)
				callback.run();
			});
		}

	}

	@Test
	@DisplayName("RF-3: the future of futureFunc is pending until the callback is called, then holds its value; caller's callback runs after it")
	void returnFutureExample_completesWhenTheCallbackIsCalled() throws Exception {
		EventLoop loop = EventLoop.create("docs-return-future");
		try {
			ReturnFutureExample example = new ReturnFutureExample(loop);
			CompletableFuture<Boolean> pendingAtFirst = loop.submit(() -> {
				LoopFuture<Integer> future = example.futureFunc(1, 2);
				return LoopFuture.completed(!future.done());
			});
			assertThat(pendingAtFirst.get(10, TimeUnit.SECONDS)).isTrue();
			assertThat(loop.submit(() -> example.futureFunc(20, 22)).get(10, TimeUnit.SECONDS)).isEqualTo(42);
			CountDownLatch called = new CountDownLatch(1);
			loop.execute(() -> example.caller(called::countDown));
			assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			loop.close();
		}
	}

	// ---------------------------------------------------------------- the page's idiom

	/** The page's idiom {@code f.add_done_callback(lambda f: f.exception())} that marks a failure observed (GC-5). */
	static void observeLater(LoopFuture<?> f) {
		f.addDoneCallback(LoopFuture::exception);
	}

	@Test
	@DisplayName("GC-5: a failure whose future has the idiom's callback is never reported; one without it is")
	void observeIdiom_silencesTheReport() throws Exception {
		List<UnobservedFailure> reports = new CopyOnWriteArrayList<>();
		try (UnobservedFailureDetector detector = UnobservedFailureDetector.builder().listener(reports::add).build()) {
			EventLoop loop = EventLoop.builder("docs-idiom").unobservedFailureDetector(detector).start();
			try {
				loop.submit(() -> {
					LoopFuture<String> observed = loop.newFuture();
					observeLater(observed);
					observed.setException(new IOException("observed by the idiom"));
					LoopFuture<String> abandoned = loop.newFuture();
					abandoned.setException(new IOException("abandoned"));
					return LoopFuture.completed("dropped both");
				}).get(10, TimeUnit.SECONDS);
				loop.submit(() -> LoopFuture.completed("the idiom's callback ran")).get(10, TimeUnit.SECONDS);
				GarbageCollection.awaitReports(reports, 1);
				GarbageCollection.settle();
				assertThat(reports).extracting((report) -> report.exception().getMessage()).containsExactly("abandoned");
			}
			finally {
				loop.close();
			}
		}
	}

	// ---------------------------------------------------------------- the document

	@Test
	@DisplayName("every java block of docs/tornado-mapping.md is code of this file")
	void documentJavaBlocks_areCodeOfThisFile() throws IOException {
		String document = Files.readString(DOCUMENT);
		String source = normalized(Files.readString(THIS_FILE));
		Matcher blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(document);
		List<String> missing = new ArrayList<>();
		int count = 0;
		while (blocks.find()) {
			count++;
			String block = normalized(blocks.group(1));
			if (!source.contains(block)) {
				missing.add(blocks.group(1));
			}
		}
		assertThat(count).as("java blocks in %s", DOCUMENT).isGreaterThanOrEqualTo(3);
		assertThat(missing).as("java blocks of %s that are not code of %s", DOCUMENT, THIS_FILE).isEmpty();
	}

	private static String normalized(String code) {
		StringBuilder lines = new StringBuilder();
		for (String line : code.split("\n")) {
			String trimmed = line.strip();
			if (!trimmed.isEmpty()) {
				lines.append(trimmed).append('\n');
			}
		}
		return lines.toString();
	}

}
