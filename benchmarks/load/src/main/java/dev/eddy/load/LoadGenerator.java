package dev.eddy.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * An open-model (constant arrival rate) HTTP load generator, in the manner of wrk2: request
 * {@code i} of a step is due at {@code start + i / rate} whatever the server does, it is sent then
 * (or at once if the sender fell behind), and its latency is measured from that due time, so time
 * spent queued anywhere, the client included, counts (no coordinated omission). A closed-model
 * tool such as wrk sends the next request only when a connection is free: under overload it
 * slows down with the server and reports the latency of the requests it chose to send, so
 * "200 % of capacity" could not be offered at all.
 * <p>Each step runs for {@code --duration} seconds, then waits up to {@code --timeout} for the
 * responses still due (a request not answered within {@code --timeout} of its due time is a
 * timeout). Per step it writes one CSV row: offered and achieved send rate, successful
 * responses completed within the window per second (throughput), p50/p99/p99.9/max of the
 * {@code 200} responses, the count and p50/p99 of {@code 503} (rejected) responses, other
 * errors, timeouts, the error rate (everything but {@code 200}, over requests sent), the server's
 * peak RSS ({@code /proc/<pid>/status}, sampled every 200 ms) and its heap and threads after the
 * step ({@code /stats}).
 * <p>Usage: {@code LoadGenerator --variant NAME --url URL --stats-url URL --pid PID --capacity RPS
 * --percents 50,100,200 --warmup S --duration S --timeout S --csv FILE}
 */
public final class LoadGenerator {

	static final String HEADER = "variant,offered_pct,offered_rps,achieved_send_rps,sent,ok,rejected_503,other_errors,timeouts,"
			+ "throughput_rps,p50_ms,p99_ms,p999_ms,max_ms,rejected_p50_ms,rejected_p99_ms,error_rate,rss_max_mb,heap_used_mb,threads";

	private final HttpClient client;

	private final Map<String, String> options;

	private LoadGenerator(Map<String, String> options) {
		this.options = options;
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i += 2) {
			if (!args[i].startsWith("--") || i + 1 >= args.length) {
				throw new IllegalArgumentException("arguments are '--name value' pairs; '" + args[i]
						+ "' has no value or is not an option; see the class's javadoc for the usage");
			}
			options.put(args[i].substring(2), args[i + 1]);
		}
		new LoadGenerator(options).run();
	}

	private String option(String name) {
		String value = this.options.get(name);
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("'--" + name + "' is required; see the class's javadoc for the usage");
		}
		return value;
	}

	private double positive(String name) {
		double value;
		try {
			value = Double.parseDouble(option(name));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'--" + name + "' must be a number, was '" + option(name) + "'", ex);
		}
		if (!(value > 0)) {
			throw new IllegalArgumentException("'--" + name + "' must be positive, was " + option(name));
		}
		return value;
	}

	private void run() throws Exception {
		String variant = option("variant");
		URI uri = URI.create(option("url"));
		double capacity = positive("capacity");
		double warmup = positive("warmup");
		double duration = positive("duration");
		Duration timeout = Duration.ofMillis((long) (positive("timeout") * 1000));
		Path csv = Path.of(option("csv"));
		long pid = Long.parseLong(option("pid"));
		List<Integer> percents = new ArrayList<>();
		for (String percent : option("percents").split(",")) {
			percents.add(Integer.parseInt(percent.trim()));
		}
		if (!Files.exists(csv) || Files.size(csv) == 0) {
			Files.writeString(csv, HEADER + "\n", StandardCharsets.UTF_8);
		}
		// JIT warm-up at half the lowest offered rate, results discarded.
		Step warm = new Step(uri, capacity * percents.get(0) / 200.0, warmup, timeout, -1);
		warm.run();
		System.out.printf(Locale.ROOT, "%s warm-up: %s%n", variant, warm.summary());
		for (int percent : percents) {
			settle(URI.create(option("stats-url")));
			Step step = new Step(uri, capacity * percent / 100.0, duration, timeout, pid);
			step.run();
			String stats = get(URI.create(option("stats-url")));
			double heapMb = number(stats, "heapUsedBytes") / 1048576.0;
			double threads = number(stats, "threads");
			String row = String.format(Locale.ROOT, "%s,%d,%.1f,%.1f,%d,%d,%d,%d,%d,%.1f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.4f,%.1f,%.1f,%.0f",
					variant, percent, step.rate, step.achievedSendRate(), step.sent.get(), step.ok.getTotalCount(),
					step.rejected.getTotalCount(), step.otherErrors.get(), step.timeouts.get(), step.throughput(),
					ms(step.ok, 50), ms(step.ok, 99), ms(step.ok, 99.9), ms(step.ok, 100), ms(step.rejected, 50),
					ms(step.rejected, 99), step.errorRate(), step.rssMaxKb / 1024.0, heapMb, threads);
			Files.writeString(csv, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
			System.out.printf(Locale.ROOT, "%s %d%%: %s%n", variant, percent, step.summary());
			if (!step.errorSamples.isEmpty()) {
				System.out.println("  errors seen: " + step.errorSamples.keySet());
			}
		}
	}

	/** Before a step: waits (at most 30 s) until the server answers a probe within 50 ms, so no backlog is carried over. */
	private void settle(URI probe) throws IOException, InterruptedException {
		long giveUp = System.nanoTime() + 30_000_000_000L;
		while (System.nanoTime() < giveUp) {
			long start = System.nanoTime();
			get(probe);
			if (System.nanoTime() - start < 50_000_000L) {
				return;
			}
			Thread.sleep(100);
		}
		System.out.println("WARNING: the server still answered slower than 50 ms after 30 s; measuring anyway");
	}

	private String get(URI uri) throws IOException, InterruptedException {
		HttpResponse<String> response = this.client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	static double number(String json, String key) {
		Matcher matcher = Pattern.compile("\"" + key + "\"\\s*:\\s*([0-9.eE+-]+)").matcher(json);
		if (!matcher.find()) {
			throw new IllegalStateException("no '" + key + "' in " + json);
		}
		return Double.parseDouble(matcher.group(1));
	}

	static double ms(Histogram histogram, double percentile) {
		return (histogram.getTotalCount() == 0) ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1e6;
	}

	/** One constant-rate step. */
	final class Step {

		final URI uri;

		final double rate;

		final double seconds;

		final Duration timeout;

		final long pid;

		final ConcurrentHistogram ok = new ConcurrentHistogram(120_000_000_000L, 3);

		final ConcurrentHistogram rejected = new ConcurrentHistogram(120_000_000_000L, 3);

		final AtomicLong sent = new AtomicLong();

		final AtomicLong okInWindow = new AtomicLong();

		final AtomicLong otherErrors = new AtomicLong();

		final AtomicLong timeouts = new AtomicLong();

		final AtomicInteger outstanding = new AtomicInteger();

		final Map<String, Boolean> errorSamples = new ConcurrentHashMap<>();

		long startNanos;

		long windowEndNanos;

		long lastSendNanos;

		volatile long rssMaxKb;

		Step(URI uri, double rate, double seconds, Duration timeout, long pid) {
			this.uri = uri;
			this.rate = rate;
			this.seconds = seconds;
			this.timeout = timeout;
			this.pid = pid;
		}

		void run() throws InterruptedException {
			long count = Math.round(this.rate * this.seconds);
			double period = 1e9 / this.rate;
			HttpRequest request = HttpRequest.newBuilder(this.uri).timeout(this.timeout).GET().build();
			this.startNanos = System.nanoTime() + 1_000_000L;
			this.windowEndNanos = this.startNanos + (long) (this.seconds * 1e9);
			Thread sampler = null;
			if (this.pid > 0) {
				sampler = new Thread(this::sampleRss, "rss-sampler");
				sampler.setDaemon(true);
				sampler.start();
			}
			for (long i = 0; i < count; i++) {
				long due = this.startNanos + (long) (i * period);
				long wait;
				while ((wait = due - System.nanoTime()) > 0) {
					LockSupport.parkNanos(wait);
				}
				this.outstanding.incrementAndGet();
				this.sent.incrementAndGet();
				LoadGenerator.this.client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
					.whenComplete((response, failure) -> done(due, response, failure));
			}
			this.lastSendNanos = System.nanoTime();
			long giveUp = System.nanoTime() + this.timeout.toNanos() + 2_000_000_000L;
			while (this.outstanding.get() > 0 && System.nanoTime() < giveUp) {
				Thread.sleep(5);
			}
			// Whatever is still unanswered now counts as a timeout, never as silently lost.
			this.timeouts.addAndGet(this.outstanding.getAndSet(0));
			if (sampler != null) {
				sampler.interrupt();
				sampler.join();
			}
		}

		private void done(long due, HttpResponse<Void> response, Throwable failure) {
			long end = System.nanoTime();
			long latency = Math.max(0, end - due);
			if (this.outstanding.getAndDecrement() <= 0) {
				this.outstanding.incrementAndGet(); // counted as a timeout already: the step is over
				return;
			}
			if (failure != null) {
				Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
				if (cause instanceof HttpTimeoutException || failure instanceof HttpTimeoutException) {
					this.timeouts.incrementAndGet();
				}
				else {
					this.otherErrors.incrementAndGet();
					if (this.errorSamples.size() < 5) {
						this.errorSamples.put(cause.getClass().getSimpleName() + ": " + cause.getMessage(), true);
					}
				}
			}
			else if (response.statusCode() == 200) {
				this.ok.recordValue(Math.min(latency, this.ok.getHighestTrackableValue()));
				if (end <= this.windowEndNanos) {
					this.okInWindow.incrementAndGet();
				}
			}
			else if (response.statusCode() == 503) {
				this.rejected.recordValue(Math.min(latency, this.rejected.getHighestTrackableValue()));
			}
			else {
				this.otherErrors.incrementAndGet();
				if (this.errorSamples.size() < 5) {
					this.errorSamples.put("HTTP " + response.statusCode(), true);
				}
			}
		}

		private void sampleRss() {
			Path status = Path.of("/proc/" + this.pid + "/status");
			while (!Thread.currentThread().isInterrupted()) {
				try {
					for (String line : Files.readAllLines(status)) {
						if (line.startsWith("VmRSS:")) {
							long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
							this.rssMaxKb = Math.max(this.rssMaxKb, kb);
						}
					}
					Thread.sleep(200);
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (IOException ex) {
					throw new IllegalStateException("cannot read " + status + ": is the server (pid " + this.pid + ") running?", ex);
				}
			}
		}

		double achievedSendRate() {
			return this.sent.get() / ((this.lastSendNanos - this.startNanos) / 1e9);
		}

		double throughput() {
			return this.okInWindow.get() / this.seconds;
		}

		double errorRate() {
			long all = this.sent.get();
			return (all == 0) ? 0 : (all - this.ok.getTotalCount()) / (double) all;
		}

		String summary() {
			return String.format(Locale.ROOT,
					"offered %.0f/s (sent %.0f/s), %d sent, %d ok, %d rejected (503), %d other errors, %d timeouts; "
							+ "throughput %.1f/s; ok p50 %.1f ms p99 %.1f ms p99.9 %.1f ms; 503 p99 %.1f ms; RSS max %.0f MB",
					this.rate, achievedSendRate(), this.sent.get(), this.ok.getTotalCount(), this.rejected.getTotalCount(),
					this.otherErrors.get(), this.timeouts.get(), throughput(), ms(this.ok, 50), ms(this.ok, 99),
					ms(this.ok, 99.9), ms(this.rejected, 99), this.rssMaxKb / 1024.0);
		}

	}

}
