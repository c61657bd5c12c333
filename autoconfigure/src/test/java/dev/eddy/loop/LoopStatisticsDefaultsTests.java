package dev.eddy.loop;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LoopStatistics#terminationCause()} is a default method, so that an implementation
 * written before it existed (a test double, a wrapper) still compiles: it reports no cause.
 */
class LoopStatisticsDefaultsTests {

	@Test
	@DisplayName("an implementation that does not override terminationCause() reports null, not an empty cause")
	void terminationCauseDefaultsToNull() {
		LoopStatistics statistics = new LoopStatistics() {

			@Override
			public long callbacksSucceeded() {
				return 0;
			}

			@Override
			public long callbacksFailed() {
				return 0;
			}

			@Override
			public long callbacksRejected() {
				return 0;
			}

			@Override
			public long wakeups() {
				return 0;
			}

			@Override
			public long slowCallbacks() {
				return 0;
			}

			@Override
			public int pending() {
				return 0;
			}

			@Override
			public long progress() {
				return 0;
			}

			@Override
			public boolean busy() {
				return false;
			}

			@Override
			public long blockedEpisodes() {
				return 0;
			}

			@Override
			public boolean blocked() {
				return false;
			}

			@Override
			public boolean alive() {
				return true;
			}

		};
		assertThat(statistics.terminationCause()).isNull();
	}

}
