package dev.eddy.load;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

import dev.eddy.concurrent.RunOnExecutor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The load test's web app: one piece of work that blocks like I/O ({@code load.work-millis},
 * default 20 ms of {@code Thread.sleep}), served three ways with pools of equal size (4 threads,
 * set by {@code benchmarks/load/run.sh} through Eddy's, Boot's and Tomcat's own properties):
 * <ul>
 * <li>{@code GET /eddy}: a {@code @RunOnExecutor} method returning {@code CompletableFuture} on
 * Eddy's default executor (bounded queue);</li>
 * <li>{@code GET /async}: a Spring {@code @Async} method on Boot's default
 * {@code applicationTaskExecutor} (core threads, unbounded queue);</li>
 * <li>{@code GET /blocking}: the work on the servlet thread (Tomcat's pool).</li>
 * </ul>
 * A rejected task ({@code RejectedExecutionException}, or Spring's {@code TaskRejectedException})
 * is answered {@code 503}. {@code GET /stats} reports heap and threads; {@code GET /whoami/*}
 * the thread that runs each variant's work, so the script can check the wiring.
 */
@SpringBootApplication
@EnableAsync
public class LoadApp {

	public static void main(String[] args) {
		SpringApplication.run(LoadApp.class, args);
	}

	/** The blocking work, three ways. */
	@Service
	public static class Work {

		private final long millis;

		public Work(org.springframework.core.env.Environment environment) {
			this.millis = environment.getProperty("load.work-millis", Long.class, 20L);
			if (this.millis < 0) {
				throw new IllegalArgumentException("'load.work-millis' must be zero or positive, was " + this.millis);
			}
		}

		String block() {
			try {
				Thread.sleep(this.millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while working", ex);
			}
			return Thread.currentThread().getName();
		}

		@RunOnExecutor("executor")
		public CompletableFuture<String> eddy() {
			return CompletableFuture.completedFuture(block());
		}

		@Async
		public CompletableFuture<String> async() {
			return CompletableFuture.completedFuture(block());
		}

	}

	@RestController
	public static class WorkController {

		private final Work work;

		public WorkController(Work work) {
			this.work = work;
		}

		@GetMapping("/eddy")
		public CompletableFuture<String> eddy() {
			return this.work.eddy().thenApply((thread) -> "ok");
		}

		@GetMapping("/async")
		public CompletableFuture<String> async() {
			return this.work.async().thenApply((thread) -> "ok");
		}

		@GetMapping("/blocking")
		public String blocking() {
			this.work.block();
			return "ok";
		}

		@GetMapping("/whoami/eddy")
		public CompletableFuture<String> whoamiEddy() {
			return this.work.eddy();
		}

		@GetMapping("/whoami/async")
		public CompletableFuture<String> whoamiAsync() {
			return this.work.async();
		}

		@GetMapping("/whoami/blocking")
		public String whoamiBlocking() {
			return this.work.block();
		}

		@GetMapping("/stats")
		public Map<String, Object> stats() {
			Map<String, Object> stats = new LinkedHashMap<>();
			stats.put("heapUsedBytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
			stats.put("nonHeapUsedBytes", ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed());
			stats.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
			return stats;
		}

		/** The bounded queue's answer to excess load: 503, fast. */
		@ExceptionHandler({ RejectedExecutionException.class, TaskRejectedException.class })
		public ResponseEntity<String> rejected(Exception ex) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("busy");
		}

		/** Spring MVC may hand over the future's failure wrapped; unwrap it once. */
		@ExceptionHandler({ CompletionException.class, ExecutionException.class })
		public ResponseEntity<String> wrapped(Exception ex) throws Exception {
			if (ex.getCause() instanceof RejectedExecutionException cause) {
				return rejected(cause);
			}
			throw ex;
		}

	}

}
