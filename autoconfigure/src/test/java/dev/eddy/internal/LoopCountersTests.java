package dev.eddy.internal;

import dev.eddy.loop.EventLoop;
import dev.eddy.loop.LoopStatistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counters behind {@link LoopStatistics} ({@link LoopCounters}) on their own: each write
 * moves exactly its own figure, by exactly one (or the count given).
 */
class LoopCountersTests {

	private final DefaultEventLoop loop = (DefaultEventLoop) EventLoop.onCurrentThread("counters");

	private final LoopCounters counters = this.loop.counters;

	@AfterEach
	void close() {
		this.loop.close();
	}

	@Test
	@DisplayName("each count moves its own figure only")
	void eachCountMovesItsOwnFigure() {
		assertThat(figures()).containsExactly(0, 0, 0, 0, 0, 0, 0);
		this.counters.countStarted();
		this.counters.countStarted();
		assertThat(figures()).containsExactly(0, 0, 0, 0, 0, 2, 0);
		this.counters.countSucceeded();
		assertThat(figures()).containsExactly(1, 0, 0, 0, 0, 2, 0);
		this.counters.countFailed();
		this.counters.countFailed();
		assertThat(figures()).containsExactly(1, 2, 0, 0, 0, 2, 0);
		this.counters.countRejected();
		this.counters.countRejected(5);
		assertThat(figures()).containsExactly(1, 2, 6, 0, 0, 2, 0);
		this.counters.countWakeup();
		assertThat(figures()).containsExactly(1, 2, 6, 1, 0, 2, 0);
		this.counters.countSlow();
		assertThat(figures()).containsExactly(1, 2, 6, 1, 1, 2, 0);
		this.counters.blockedEpisodeStarted();
		assertThat(figures()).containsExactly(1, 2, 6, 1, 1, 2, 1);
		assertThat(this.counters.blocked()).isTrue();
		this.counters.blockedEpisodeEnded();
		assertThat(this.counters.blocked()).isFalse();
		assertThat(this.counters.blockedEpisodes()).isEqualTo(1);
	}

	@Test
	@DisplayName("busy follows the loop's writes; pending, alive and the cause are asked of the loop; named after it")
	void stateFromTheLoop() {
		assertThat(this.counters.busy()).isFalse();
		this.counters.busy(true);
		assertThat(this.counters.busy()).isTrue();
		this.counters.busy(false);
		assertThat(this.counters.busy()).isFalse();
		assertThat(this.counters.pending()).isZero();
		this.loop.execute(() -> {
		});
		this.loop.execute(() -> {
		});
		assertThat(this.counters.pending()).isEqualTo(2);
		assertThat(this.counters.alive()).isTrue();
		assertThat(this.counters.terminationCause()).isNull();
		assertThat(this.counters).hasToString("LoopStatistics[counters]");
		assertThat(this.loop.statistics()).isSameAs(this.counters);
		this.loop.close();
		assertThat(this.counters.alive()).isFalse();
	}

	private long[] figures() {
		LoopStatistics s = this.counters;
		return new long[] { s.callbacksSucceeded(), s.callbacksFailed(), s.callbacksRejected(), s.wakeups(), s.slowCallbacks(),
				s.progress(), s.blockedEpisodes() };
	}

}
