package dev.eddy.internal;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RateLimitedLog} on a hand-driven clock: de-duplication by key, the per-window limit, the
 * window's roll-over exactly at its length, the summary of what was held back, the bound on
 * distinct keys, and {@code flush}. Plain JUnit, deterministic.
 */
class RateLimitedLogTests {

	private static final String LOGGER = "dev.eddy.test.RateLimitedLogTests";

	private static final long WINDOW = 1_000;

	private final AtomicLong clock = new AtomicLong(5_000);

	private LogCapture log;

	@BeforeEach
	void capture() {
		this.log = LogCapture.of(LOGGER);
		quiet().setAdditive(false); // the lines are asserted here; the console needs none of them
	}

	@AfterEach
	void release() {
		quiet().setAdditive(true);
		this.log.close();
	}

	private static ch.qos.logback.classic.Logger quiet() {
		return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(LOGGER);
	}

	private RateLimitedLog limiter(int maxPerWindow) {
		return new RateLimitedLog(LoggerFactory.getLogger(LOGGER), WINDOW, maxPerWindow, this.clock::get);
	}

	@Test
	@DisplayName("error: the first line of a key is written with its exception, a duplicate key is held back")
	void error_deduplicatesByKey() {
		RateLimitedLog limiter = limiter(10);
		IOException failure = new IOException("disk full");
		assertThat(limiter.error("a", "first a", failure)).isTrue();
		assertThat(limiter.error("a", "second a", failure)).isFalse();
		assertThat(limiter.error("b", "first b", failure)).isTrue();
		assertThat(this.log.messages(Level.ERROR)).containsExactly("first a", "first b");
		ILoggingEvent event = this.log.events().get(0);
		assertThat(event.getThrowableProxy().getMessage()).isEqualTo("disk full");
	}

	@Test
	@DisplayName("error: at most maxPerWindow lines per window, even with distinct keys")
	void error_limitsPerWindow() {
		RateLimitedLog limiter = limiter(3);
		for (int i = 0; i < 3; i++) {
			assertThat(limiter.error("k" + i, "line " + i, new IOException())).isTrue();
		}
		assertThat(limiter.error("k3", "line 3", new IOException())).isFalse();
		assertThat(this.log.messages(Level.ERROR)).containsExactly("line 0", "line 1", "line 2");
	}

	@Test
	@DisplayName("the window rolls over exactly at its length, summarizing what it held back, then admits again")
	void window_rollsOverAtItsLength_withASummary() {
		RateLimitedLog limiter = limiter(1);
		assertThat(limiter.error("a", "a1", new IOException())).isTrue();
		assertThat(limiter.error("a", "a2", new IOException())).isFalse();
		assertThat(limiter.error("b", "b1", new IOException())).isFalse();
		this.clock.addAndGet(WINDOW - 1);
		assertThat(limiter.error("c", "c1", new IOException())).as("one nanosecond before the window ends").isFalse();
		this.clock.addAndGet(1);
		assertThat(limiter.error("a", "a3", new IOException())).as("a new window forgets the keys").isTrue();
		assertThat(this.log.messages(Level.ERROR)).containsExactly("a1",
				"3 similar error(s) were not logged in the previous window (logging is rate-limited and de-duplicated;"
						+ " the counters count every one)",
				"a3");
		this.clock.addAndGet(WINDOW);
		assertThat(limiter.error("d", "d1", new IOException())).isTrue();
		assertThat(this.log.messages(Level.ERROR)).as("nothing held back: no summary").endsWith("a3", "d1");
		assertThat(this.log.messages(Level.ERROR)).hasSize(4);
	}

	@Test
	@DisplayName("the summary is written even when the line that rolled the window over is itself held back")
	void summary_isWrittenWhenTheRollingLineIsHeldBack() {
		RateLimitedLog limiter = limiter(0);
		assertThat(limiter.error("a", "never", new IOException())).isFalse();
		assertThat(limiter.error("b", "never", new IOException())).isFalse();
		this.clock.addAndGet(WINDOW);
		assertThat(limiter.error("c", "never", new IOException())).isFalse();
		assertThat(this.log.messages(Level.ERROR)).containsExactly(
				"2 similar error(s) were not logged in the previous window (logging is rate-limited and de-duplicated;"
						+ " the counters count every one)");
	}

	@Test
	@DisplayName("warn: no de-duplication, the same limit and window, its own summary at WARN")
	void warn_limitsWithoutDeduplication() {
		RateLimitedLog limiter = limiter(2);
		assertThat(limiter.warn("same")).isTrue();
		assertThat(limiter.warn("same")).isTrue();
		assertThat(limiter.warn("same")).isFalse();
		assertThat(limiter.error("e", "error shares the window", new IOException())).isFalse();
		this.clock.addAndGet(WINDOW);
		assertThat(limiter.warn("after")).isTrue();
		assertThat(this.log.messages(Level.WARN)).containsExactly("same", "same",
				"2 similar warning(s) were not logged in the previous window (logging is rate-limited)", "after");
		assertThat(this.log.messages(Level.ERROR)).isEmpty();
	}

	@Test
	@DisplayName("past 1,024 distinct keys in one window, every new key counts as a duplicate: the key set stays bounded")
	void distinctKeys_areBoundedPerWindow() {
		RateLimitedLog limiter = limiter(5_000);
		for (int i = 0; i < 1024; i++) {
			assertThat(limiter.error("key" + i, "line", new IOException())).as("key %d", i).isTrue();
		}
		assertThat(limiter.error("key1024", "line", new IOException())).isFalse();
		assertThat(limiter.warn("warn has no key")).isTrue();
		this.clock.addAndGet(WINDOW);
		assertThat(limiter.error("key1024", "line", new IOException())).isTrue();
	}

	@Test
	@DisplayName("flush: summarizes what the window held back, returns the count, starts a new window; 0 and silent when none")
	void flush_summarizesAndStartsANewWindow() {
		RateLimitedLog limiter = limiter(1);
		assertThat(limiter.flush()).isZero();
		assertThat(this.log.events()).isEmpty();
		assertThat(limiter.error("a", "a1", new IOException())).isTrue();
		assertThat(limiter.error("a", "a2", new IOException())).isFalse();
		assertThat(limiter.error("b", "b1", new IOException())).isFalse();
		this.clock.addAndGet(WINDOW - 1);
		assertThat(limiter.flush()).isEqualTo(2);
		assertThat(this.log.messages(Level.ERROR)).containsExactly("a1",
				"2 similar error(s) were not logged in the last window (logging is rate-limited and de-duplicated;"
						+ " the counters count every one)");
		assertThat(limiter.error("a", "a3", new IOException())).as("the new window forgets keys and counts").isTrue();
		assertThat(limiter.error("c", "c1", new IOException())).isFalse();
		this.clock.addAndGet(1);
		assertThat(limiter.error("d", "d1", new IOException())).as("the new window began at the flush, not before").isFalse();
		assertThat(this.log.messages(Level.ERROR)).hasSize(3).endsWith("a3");
	}

	@Test
	@DisplayName("tenPer10Seconds: ten lines, then held back")
	void tenPer10Seconds_admitsTen() {
		RateLimitedLog limiter = RateLimitedLog.tenPer10Seconds(LoggerFactory.getLogger(LOGGER));
		for (int i = 0; i < 10; i++) {
			assertThat(limiter.error("k" + i, "line " + i, new IOException())).isTrue();
		}
		assertThat(limiter.error("k10", "line 10", new IOException())).isFalse();
		assertThat(this.log.messages(Level.ERROR)).hasSize(10);
	}

}
