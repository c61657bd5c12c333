package dev.eddy.demo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The demo service and a real Prometheus, both on loopback: traffic that abandons a known number
 * of failed futures must show up as exactly that rise of {@code eddy_futures_unobserved_total} in
 * Prometheus, and every query of the Grafana dashboard must return data.
 * <p>The demo runs as its own JVM, started from its runtime classpath like a deployed service, so
 * nothing in the test JVM can observe (or keep alive) its futures; garbage collection is then
 * triggered from outside with {@code jcmd <pid> GC.run}, as an operator would. Needs the
 * {@code prometheus} binary (Debian package {@code prometheus}) and the JDK's {@code jcmd}; a
 * missing one fails the test, it is never skipped. Run with {@code ./mvnw -pl demo-app -Pe2e verify}.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PrometheusEndToEndTests {

	private static final String JOB = "eddy-demo";

	/** Audit writes of an unlisted symbol: each abandons one failed CompletableFuture. */
	private static final int ABANDONED_AUDITS = 25;

	/** Alerts for an unlisted symbol: each fails a void @RunOnExecutor method, reported at once. */
	private static final int FAILED_ALERTS = 5;

	private static final String AUDIT_SOURCE = "AuditTrail#record";

	private static final String ALERT_SOURCE = "PriceAlerts#notifyWatchers";

	/** Values of the dashboard's Grafana variables and built-in intervals for the test's queries. */
	private static final Map<String, String> DASHBOARD_VARIABLES = Map.of("$__rate_interval", "1m", "$__interval",
			"15s", "$__range", "5m", "$job", JOB, "$executor", ".+");

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

	private static final ObjectMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	static Path work;

	private static Path logs;

	private static Process app;

	private static Process prometheus;

	private static String appUrl;

	private static String prometheusUrl;

	private static double prometheusBaseline;

	private static double appBaseline;

	@BeforeAll
	static void startAppAndPrometheus() throws Exception {
		Path prometheusBinary = requiredTool("prometheus", System.getenv("EDDY_PROMETHEUS"), "/usr/bin/prometheus",
				"install Debian's 'prometheus' package (.ci/run does), or set EDDY_PROMETHEUS to the binary");
		Path javaHome = Path.of(System.getProperty("java.home"));
		Path java = requiredTool("java", null, javaHome.resolve("bin/java").toString(), "run the build on a full JDK");
		Path jcmd = requiredTool("jcmd", null, javaHome.resolve("bin/jcmd").toString(),
				"run the build on a full JDK, which has bin/jcmd");
		Path classpathFile = Path.of(System.getProperty("eddy.demo.classpath-file", "target/e2e-runtime-classpath.txt"));
		assertThat(classpathFile).as("runtime classpath written by the e2e profile of demo-app/pom.xml").isRegularFile();
		String classpath = System.getProperty("eddy.demo.classes", "target/classes") + File.pathSeparator
				+ Files.readString(classpathFile).trim();
		logs = Path.of(System.getProperty("eddy.e2e.logs", "target/e2e-logs"));
		Files.createDirectories(logs);
		Runtime.getRuntime().addShutdownHook(new Thread(PrometheusEndToEndTests::killAll, "e2e-process-reaper"));

		int appPort = freeLoopbackPort();
		appUrl = "http://127.0.0.1:" + appPort;
		app = start(List.of(java.toString(), "-Xmx256m", "-cp", classpath, DemoApplication.class.getName(),
				"--server.address=127.0.0.1", "--server.port=" + appPort), logs.resolve("demo-app.log"));
		awaitHttpOk(app, appUrl + "/actuator/health", Duration.ofSeconds(90), logs.resolve("demo-app.log"));
		assertThat(jcmd).isExecutable(); // used by GC below

		int prometheusPort = freeLoopbackPort();
		prometheusUrl = "http://127.0.0.1:" + prometheusPort;
		Path config = work.resolve("prometheus.yml");
		Files.writeString(config, """
				global:
				  scrape_interval: 1s
				  scrape_timeout: 1s
				  evaluation_interval: 1s
				scrape_configs:
				  - job_name: %s
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ['127.0.0.1:%d']
				""".formatted(JOB, appPort));
		prometheus = start(List.of(prometheusBinary.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + work.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort),
				logs.resolve("prometheus.log"));
		awaitHttpOk(prometheus, prometheusUrl + "/-/ready", Duration.ofSeconds(60), logs.resolve("prometheus.log"));
		await("Prometheus to scrape the demo (up{job=\"" + JOB + "\"} == 1)", Duration.ofSeconds(30),
				() -> queryValue("max(up{job=\"" + JOB + "\"})") == 1);

		prometheusBaseline = queryValue("sum(eddy_futures_unobserved_total{job=\"" + JOB + "\"})");
		appBaseline = appUnobserved(null);
		driveTraffic();
	}

	@AfterAll
	static void stopPrometheusAndApp() {
		try {
			stop(prometheus);
		}
		finally {
			stop(app);
		}
	}

	@Test
	@Order(1)
	void prometheusSeesExactlyTheAbandonedFailures() throws Exception {
		int caused = ABANDONED_AUDITS + FAILED_ALERTS;
		// The abandoned futures are reported when collected: collect until the demo counted them all.
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		int gcRuns = 0;
		while (appUnobserved(null) < appBaseline + caused && System.nanoTime() < deadline) {
			runJcmdGc(jcmd);
			gcRuns++;
			Thread.sleep(300);
		}
		assertThat(appUnobserved(null)).as("unobserved failures counted by the demo after %d GC runs", gcRuns)
			.isEqualTo(appBaseline + caused);
		assertThat(appUnobserved(AUDIT_SOURCE)).isEqualTo(ABANDONED_AUDITS);
		assertThat(appUnobserved(ALERT_SOURCE)).isEqualTo(FAILED_ALERTS);

		String total = "sum(eddy_futures_unobserved_total{job=\"" + JOB + "\"})";
		await("Prometheus to report " + (prometheusBaseline + caused) + " for " + total, Duration.ofSeconds(30),
				() -> queryValue(total) >= prometheusBaseline + caused);
		Thread.sleep(3000); // three more scrapes: the value must stay exact, not overshoot
		assertThat(queryValue(total) - prometheusBaseline).as("rise of %s", total).isEqualTo(caused);
		assertThat(queryValue("sum(eddy_futures_unobserved_total{job=\"" + JOB + "\", source=\"" + AUDIT_SOURCE
				+ "\", exception=\"dev.eddy.demo.quote.AuditTrail$AuditStoreException\"})")).isEqualTo(ABANDONED_AUDITS);
		assertThat(queryValue("sum(eddy_futures_unobserved_total{job=\"" + JOB + "\", source=\"" + ALERT_SOURCE
				+ "\", exception=\"java.lang.IllegalStateException\"})")).isEqualTo(FAILED_ALERTS);
		assertThat(queryValue("sum(eddy_futures_unobserved_untracked_total{job=\"" + JOB + "\"})")).isZero();
	}

	@Test
	@Order(2)
	void everyDashboardQueryReturnsData() throws Exception {
		JsonNode dashboard = json.readTree(Path.of("grafana", "eddy-dashboard.json").toFile());
		List<String> queries = new ArrayList<>();
		collectExpressions(dashboard.get("panels"), queries);
		assertThat(queries).hasSizeGreaterThanOrEqualTo(20);
		Map<String, String> empty = new LinkedHashMap<>();
		for (String expr : queries) {
			String promql = substitute(expr);
			if (!awaitNonEmpty(promql, Duration.ofSeconds(20))) {
				empty.put(expr, promql);
			}
		}
		assertThat(empty).as("dashboard queries with no data (expression -> query sent)").isEmpty();

		// The template variables: label_values(<selector>, <label>) must list values too.
		Pattern labelValues = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");
		for (JsonNode variable : dashboard.get("templating").get("list")) {
			Matcher matcher = labelValues.matcher(variable.get("definition").asString());
			assertThat(matcher.matches()).as("variable %s", variable.get("name")).isTrue();
			JsonNode values = getJson(prometheusUrl + "/api/v1/label/" + matcher.group(2) + "/values?match[]="
					+ encode(substitute(matcher.group(1))));
			assertThat(values.get("data")).as("values of variable %s", variable.get("name").asString()).isNotEmpty();
		}
	}

	private static void driveTraffic() throws Exception {
		List<String> symbols = List.of("ACME", "BOLT", "CRUX", "DYNE", "ECHO", "FLUX", "GRID", "HALO");
		for (String currency : List.of("USD", "EUR")) {
			for (String symbol : symbols) {
				expectStatus("GET", "/quotes/" + symbol + "?currency=" + currency, 200);
				expectStatus("GET", "/quotes/" + symbol + "?currency=" + currency, 200); // from the loop's cache
			}
		}
		expectStatus("GET", "/quotes/NOPE", 404); // io task outcome=failure, observed by the caller
		expectStatus("GET", "/quotes/ACME?currency=XXX", 400);
		for (int i = 0; i < 5; i++) {
			expectStatus("GET", "/quotes/ACME/instrument", 200); // the LoopFuture the controller returns
			// Its failure goes through @ExceptionHandler, which observes it: not in the exact unobserved count below.
			expectStatus("GET", "/quotes/NOPE/instrument", 404);
		}
		// Fill the one-slot rating bulkhead until it rejects (outcome="rejected" on the dashboard).
		List<String> currencies = List.of("GBP", "JPY", "CHF", "GBP", "JPY", "CHF");
		for (int i = 0; i < currencies.size() && appMetric("eddy_executor_tasks_seconds_count", "outcome=\"rejected\"") == 0; i++) {
			expectStatus("GET", "/quotes?symbols=" + String.join(",", symbols) + "&currency=" + currencies.get(i), 200);
			Thread.sleep(1100); // past the cache's time to live
		}
		assertThat(appMetric("eddy_executor_tasks_seconds_count", "outcome=\"rejected\"")).as("rejected rating calls")
			.isPositive();
		for (int i = 0; i < 10; i++) {
			expectStatus("POST", "/quotes/ACME/audit", 202);
			expectStatus("POST", "/quotes/BOLT/alerts", 202);
		}
		for (int i = 0; i < ABANDONED_AUDITS; i++) {
			expectStatus("POST", "/quotes/FAIL/audit", 202);
		}
		for (int i = 0; i < FAILED_ALERTS; i++) {
			expectStatus("POST", "/quotes/FAIL/alerts", 202);
		}
	}

	private static void collectExpressions(JsonNode panels, List<String> into) {
		for (JsonNode panel : panels) {
			if (panel.has("panels")) {
				collectExpressions(panel.get("panels"), into);
			}
			if (panel.has("targets")) {
				for (JsonNode target : panel.get("targets")) {
					into.add(target.get("expr").asString());
				}
			}
		}
	}

	private static String substitute(String expr) {
		String result = expr;
		// Longest names first, so that $__rate_interval is not read as $__interval.
		List<String> names = new ArrayList<>(DASHBOARD_VARIABLES.keySet());
		names.sort((a, b) -> b.length() - a.length());
		for (String name : names) {
			result = result.replace(name, DASHBOARD_VARIABLES.get(name));
		}
		assertThat(result).as("query after substituting the dashboard's variables").doesNotContain("$");
		return result;
	}

	private static boolean awaitNonEmpty(String promql, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		do {
			if (!query(promql).isEmpty()) {
				return true;
			}
			Thread.sleep(500);
		}
		while (System.nanoTime() < deadline);
		return false;
	}

	/** @return the result vector of an instant query */
	private static JsonNode query(String promql) {
		JsonNode body = getJson(prometheusUrl + "/api/v1/query?query=" + encode(promql));
		assertThat(body.get("status").asString()).as("status of query %s", promql).isEqualTo("success");
		return body.get("data").get("result");
	}

	/** @return the single value of an instant query, 0 when its result is empty */
	private static double queryValue(String promql) {
		JsonNode result = query(promql);
		if (result.isEmpty()) {
			return 0;
		}
		assertThat(result).as("result of %s", promql).hasSize(1);
		return Double.parseDouble(result.get(0).get("value").get(1).asString());
	}

	private static JsonNode getJson(String url) {
		return json.readTree(get(url));
	}

	/** @return the sum of the demo's own eddy_futures_unobserved_total, of one source or all */
	private static double appUnobserved(String source) {
		return appMetric("eddy_futures_unobserved_total", (source != null) ? "source=\"" + source + "\"" : "");
	}

	/** @return the sum of the demo's samples of {@code name} whose labels contain {@code labelPart} */
	private static double appMetric(String name, String labelPart) {
		double sum = 0;
		for (String line : get(appUrl + "/actuator/prometheus").split("\n")) {
			if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
				int space = line.lastIndexOf(' ');
				if (line.substring(0, space).contains(labelPart)) {
					sum += Double.parseDouble(line.substring(space + 1));
				}
			}
		}
		return sum;
	}

	private static void expectStatus(String method, String path, int status) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(appUrl + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<String> response = send(request);
		assertThat(response.statusCode()).as("%s %s answered %s", method, path, response.body()).isEqualTo(status);
	}

	private static String get(String url) {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build());
		assertThat(response.statusCode()).as("GET %s answered %s", url, response.body()).isEqualTo(200);
		return response.body();
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static void runJcmdGc(Path jcmd) throws Exception {
		Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(app.pid()), "GC.run").redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("jcmd.log").toFile()))
			.start();
		if (!gc.waitFor(30, TimeUnit.SECONDS)) {
			gc.destroyForcibly();
			fail("jcmd %d GC.run did not finish within 30 s (see %s)", app.pid(), logs.resolve("jcmd.log"));
		}
		assertThat(gc.exitValue()).as("exit code of jcmd %d GC.run (see %s)", app.pid(), logs.resolve("jcmd.log"))
			.isZero();
	}

	private static Path requiredTool(String tool, String override, String standard, String fix) {
		List<Path> candidates = new ArrayList<>();
		if (override != null && !override.isBlank()) {
			candidates.add(Path.of(override));
		}
		candidates.add(Path.of(standard));
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (!dir.isEmpty()) {
				candidates.add(Path.of(dir, tool));
			}
		}
		for (Path candidate : candidates) {
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		// Never skipped, under CI=true or not: the e2e profile exists to run this test.
		return fail("The end-to-end test needs '%s' and found none (looked at %s and on PATH%s): %s", tool,
				candidates.subList(0, (override != null && !override.isBlank()) ? 2 : 1),
				"true".equals(System.getenv("CI")) ? "; CI=true" : "", fix);
	}

	private static int freeLoopbackPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static Process start(List<String> command, Path log) throws IOException {
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
			.start();
	}

	private static void awaitHttpOk(Process process, String url, Duration timeout, Path log) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				fail("%s exited with %d before %s answered; its log:%n%s", process.info().command().orElse("process"),
						process.exitValue(), url, tail(log));
			}
			try {
				HttpResponse<String> response = http.send(
						HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		fail("%s did not answer 200 within %s; log:%n%s", url, timeout, tail(log));
	}

	private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				fail("Timed out after %s waiting for %s", timeout, what);
			}
			Thread.sleep(250);
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(cannot read " + log + ": " + ex + ")";
		}
	}

	/** Stops a process: SIGTERM, a bounded wait, then SIGKILL. */
	private static void stop(Process process) {
		if (process == null) {
			return;
		}
		process.destroy();
		try {
			if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/** Last resort if the test JVM exits without running {@link #stopPrometheusAndApp()}. */
	private static void killAll() {
		for (Process process : new Process[] { prometheus, app }) {
			if (process != null && process.isAlive()) {
				process.destroyForcibly();
			}
		}
	}

}
