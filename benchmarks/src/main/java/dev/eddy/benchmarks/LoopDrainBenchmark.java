package dev.eddy.benchmarks;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import dev.eddy.loop.EventLoop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue item 5: schedule 1,024 callbacks with {@code loop.execute} on the loop thread, then drain
 * them with {@code runUntilIdle()}; the score is per callback
 * ({@code @OperationsPerInvocation(1024)}). The same preallocated {@code Runnable} is queued each
 * time, so the figure is the loop's own cost: ready queue, callback counters, the exception
 * guard. Baseline: the same 1,024 runnables through a bare {@code ArrayDeque}, the floor that
 * any queue-then-run loop has to pay.
 * <p>Command: {@code java -jar benchmarks/target/benchmarks.jar LoopDrainBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class LoopDrainBenchmark {

	private static final int CALLBACKS = 1024;

	private EventLoop loop;

	private final ArrayDeque<Runnable> deque = new ArrayDeque<>(CALLBACKS);

	private long ran;

	private Runnable callback;

	@Setup(Level.Trial)
	public void setUp() {
		this.loop = EventLoop.onCurrentThread("bench");
		this.callback = () -> this.ran++;
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.loop.close();
	}

	@Benchmark
	@OperationsPerInvocation(CALLBACKS)
	public long drain1024_eddy() {
		for (int i = 0; i < CALLBACKS; i++) {
			this.loop.execute(this.callback);
		}
		this.loop.runUntilIdle();
		return this.ran;
	}

	@Benchmark
	@OperationsPerInvocation(CALLBACKS)
	public long drain1024_arrayDeque() {
		for (int i = 0; i < CALLBACKS; i++) {
			this.deque.add(this.callback);
		}
		Runnable next;
		while ((next = this.deque.poll()) != null) {
			try {
				next.run();
			}
			catch (RuntimeException ex) {
				// a loop survives a failing callback; so does the baseline
			}
		}
		return this.ran;
	}

}
