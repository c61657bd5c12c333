package dev.eddy.internal;

import java.time.Duration;

import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LoopSettings}: durations saturate at {@link LoopSettings#LONGEST} (about 292 years), so
 * that no {@code toNanos()} downstream overflows, and every other duration is kept as given.
 */
class LoopSettingsTests {

	@Test
	@DisplayName("saturated keeps a duration up to LONGEST as the very instance given, and returns LONGEST for a longer one")
	void saturated() {
		Duration second = Duration.ofSeconds(1);
		assertThat(LoopSettings.saturated(second)).isSameAs(second);
		Duration equalToLongest = Duration.ofNanos(Long.MAX_VALUE);
		assertThat(equalToLongest).isNotSameAs(LoopSettings.LONGEST).isEqualTo(LoopSettings.LONGEST);
		assertThat(LoopSettings.saturated(equalToLongest)).as("equal to LONGEST is not longer").isSameAs(equalToLongest);
		assertThat(LoopSettings.saturated(LoopSettings.LONGEST.plusNanos(1))).isSameAs(LoopSettings.LONGEST);
		assertThat(LoopSettings.saturated(Duration.ofSeconds(Long.MAX_VALUE))).isSameAs(LoopSettings.LONGEST);
	}

	@Test
	@DisplayName("the record saturates its three durations and keeps the rest")
	void constructorSaturates() {
		Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
		UnobservedFailureDetector detector = UnobservedFailureDetector.global();
		LoopSettings settings = new LoopSettings("s", true, huge, huge, huge, null, detector, 7);
		assertThat(settings.slowCallbackThreshold()).isSameAs(LoopSettings.LONGEST);
		assertThat(settings.drainTimeout()).isSameAs(LoopSettings.LONGEST);
		assertThat(settings.blockedThreshold()).isSameAs(LoopSettings.LONGEST);
		assertThat(settings.name()).isEqualTo("s");
		assertThat(settings.queueCapacity()).isEqualTo(7);
	}

	@Test
	@DisplayName("saturatedNanos: the nanoseconds of any duration, Long.MAX_VALUE or Long.MIN_VALUE where they overflow")
	void saturatedNanos() {
		assertThat(LoopSettings.saturatedNanos(Duration.ofMillis(1500))).isEqualTo(1_500_000_000L);
		assertThat(LoopSettings.saturatedNanos(Duration.ofMillis(-3))).isEqualTo(-3_000_000L);
		assertThat(LoopSettings.saturatedNanos(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
		assertThat(LoopSettings.saturatedNanos(Duration.ofSeconds(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
	}

}
