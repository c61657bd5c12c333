package dev.eddy.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry of watched loops behind {@link LoopWatchdog#watchedCount()}, which
 * {@code LoopDeathTests} waits on, and the watchdog's name in logs and dumps. The blocked-loop
 * behaviour itself is in {@code dev.eddy.loop.LoopWatchdogTests}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopWatchdogRegistryTests {

	@Test
	@DisplayName("watch() registers the watchdog, named after its loop, and stop() unregisters it")
	void watchAndStop_registerAndUnregister() {
		DefaultEventLoop loop = (DefaultEventLoop) EventLoop.builder("registry").start();
		try {
			LoopWatchdog watchdog = LoopWatchdog.watch(loop, Duration.ofSeconds(10).toNanos());
			try {
				assertThat(LoopWatchdog.watchedCount()).as("this watchdog at least").isPositive();
				assertThat(watchdog).hasToString("LoopWatchdog[registry]");
			}
			finally {
				watchdog.stop();
			}
			watchdog.stop(); // idempotent
		}
		finally {
			loop.close();
		}
	}

}
