package dev.eddy.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue item 4: what the unobserved-failure detector costs, on a loop driven by the JMH thread.
 * <ul>
 * <li>{@code observedFailure_eddy}: new future, {@code setException} (a preallocated exception),
 * {@code exception()} observes it. With {@code level=SIMPLE} the failure is tracked and the
 * tracker dropped on observation; with {@code DISABLED} nothing is tracked.</li>
 * <li>{@code success_eddy}: new future, {@code setResult}, {@code result()}; the detector level
 * must make no difference, not one byte.</li>
 * <li>{@code abandonedBatch_eddy} ({@code SIMPLE} only): one operation fails 1,000 futures that
 * nobody observes, drops them, then calls {@code System.gc()} (at most 200 times, 10 ms apart)
 * until the detector has reported them; it throws unless it reported exactly 1,000 more and
 * tracked none past its cap. Time per operation is dominated by the collections: it shows that
 * detection keeps up, not a per-failure cost.</li>
 * </ul>
 * The observed and successful futures are returned (they escape, as in real use); their
 * {@code exception()}/{@code result()} go to a {@code Blackhole}.
 * Targets: observed failure with {@code SIMPLE} at most 60 ns and 64 B/op more than
 * {@code DISABLED}; a success 0 B/op more.
 * <p>Command: {@code java -jar benchmarks/target/benchmarks.jar FailureDetectorBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FailureDetectorBenchmark {

	private static final Integer VALUE = 42;

	/** Preallocated: the benchmark measures the future and the detector, not fillInStackTrace. */
	private static final RuntimeException FAILURE = new IllegalStateException("benchmark failure");

	/** A loop and a detector at one level. */
	@State(Scope.Thread)
	public static class Detector {

		@Param({ "DISABLED", "SIMPLE" })
		public UnobservedFailureDetector.Level level;

		UnobservedFailureDetector detector;

		EventLoop loop;

		final LongAdder reports = new LongAdder();

		@Setup(Level.Trial)
		public void setUp() {
			this.detector = UnobservedFailureDetector.builder()
				.level(this.level)
				.listener((failure) -> this.reports.increment())
				.build();
			this.loop = EventLoop.builder("bench").unobservedFailureDetector(this.detector).onCurrentThread();
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.loop.close();
			this.detector.close();
			if (this.reports.sum() != 0) {
				throw new IllegalStateException("Observed failures were reported as unobserved: " + this.reports.sum());
			}
		}

	}

	/** A SIMPLE detector whose reports the batch benchmark counts. */
	@State(Scope.Thread)
	public static class Abandoning {

		static final int BATCH = 1_000;

		UnobservedFailureDetector detector;

		EventLoop loop;

		final LongAdder reports = new LongAdder();

		long abandoned;

		@Setup(Level.Trial)
		public void setUp() {
			this.detector = UnobservedFailureDetector.builder()
				.level(UnobservedFailureDetector.Level.SIMPLE)
				.listener((failure) -> this.reports.increment())
				.build();
			this.loop = EventLoop.builder("bench-abandon").unobservedFailureDetector(this.detector).onCurrentThread();
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.loop.close();
			this.detector.close();
		}

		void awaitReports() {
			for (int i = 0; i < 200 && this.reports.sum() < this.abandoned; i++) {
				System.gc();
				try {
					Thread.sleep(i == 0 ? 1 : 10);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
			long reported = this.reports.sum();
			if (reported != this.abandoned || this.detector.untrackedCount() != 0) {
				throw new IllegalStateException("Abandoned " + this.abandoned + " failed futures, the detector reported "
						+ reported + " (untracked " + this.detector.untrackedCount() + ", still tracked "
						+ this.detector.trackedCount() + ")");
			}
		}

	}

	@Benchmark
	public LoopFuture<Integer> observedFailure_eddy(Detector state, Blackhole blackhole) {
		LoopFuture<Integer> future = state.loop.newFuture();
		future.setException(FAILURE);
		blackhole.consume(future.exception());
		return future;
	}

	@Benchmark
	public LoopFuture<Integer> success_eddy(Detector state, Blackhole blackhole) {
		LoopFuture<Integer> future = state.loop.newFuture();
		future.setResult(VALUE);
		blackhole.consume(future.result());
		return future;
	}

	@Benchmark
	public long abandonedBatch_eddy(Abandoning state) {
		for (int i = 0; i < Abandoning.BATCH; i++) {
			LoopFuture<Integer> future = state.loop.newFuture();
			future.setException(FAILURE); // tracked by the detector: a side effect, so not eliminated; never retained here
		}
		state.abandoned += Abandoning.BATCH;
		state.awaitReports();
		return state.reports.sum();
	}

}
