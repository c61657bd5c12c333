package dev.eddy.internal;

import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How one callback is run ({@link CallbackRunner}) in debug mode: only a callback slower than
 * the threshold is counted and logged, naming that callback (and its future, for a
 * done-callback), with the time and the threshold in milliseconds.
 */
class CallbackRunnerTests {

	private final EventLoop loop = EventLoop.builder("slow").debug(true).slowCallbackThreshold(Duration.ofMillis(20))
		.onCurrentThread();

	@AfterEach
	void close() {
		this.loop.close();
	}

	@Test
	@DisplayName("debug: the slow callback, not the fast one, is counted and named, with its time and the threshold in ms")
	void slowCallbackNamed() {
		this.loop.execute(named("fast-one", 0));
		this.loop.execute(named("slow-one", 50));
		this.loop.execute(named("fast-two", 0));
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			assertThat(this.loop.runOnce()).isEqualTo(3);
			List<String> warnings = log.messages(Level.WARN);
			assertThat(warnings).hasSize(1);
			String line = warnings.get(0);
			assertThat(line).startsWith("Executing callback slow-one on EventLoop 'slow' took ")
				.endsWith(" ms (slow-callback threshold 20 ms)");
			long millis = Long.parseLong(line.substring("Executing callback slow-one on EventLoop 'slow' took ".length(),
					line.indexOf(" ms (")));
			assertThat(millis).isBetween(45L, 30_000L);
		}
		assertThat(this.loop.statistics().slowCallbacks()).isEqualTo(1);
		assertThat(this.loop.statistics().callbacksSucceeded()).isEqualTo(3);
	}

	@Test
	@DisplayName("debug: a slow done-callback is logged with the future it ran for")
	void slowDoneCallbackNamesItsFuture() {
		LoopFuture<String> future = this.loop.newFuture();
		future.addDoneCallback((done) -> named("slow-done", 40).run());
		future.setResult("v");
		try (LogCapture log = LogCapture.of("dev.eddy.loop")) {
			this.loop.runOnce();
			assertThat(log.messages(Level.WARN)).singleElement()
				.satisfies((line) -> assertThat(line).contains(" for " + Describe.value(future) + " on EventLoop 'slow' took "));
		}
		assertThat(this.loop.statistics().slowCallbacks()).isEqualTo(1);
	}

	private static Runnable named(String name, long sleepMillis) {
		return new Runnable() {
			@Override
			public void run() {
				if (sleepMillis > 0) {
					try {
						Thread.sleep(sleepMillis);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
			}

			@Override
			public String toString() {
				return name;
			}
		};
	}

}
