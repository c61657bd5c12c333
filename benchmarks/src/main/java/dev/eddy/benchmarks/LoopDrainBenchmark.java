package dev.eddy.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Objects;
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

	private Duties duties;

	@Setup(Level.Trial)
	public void setUp() {
		this.loop = EventLoop.onCurrentThread("bench");
		this.callback = () -> this.ran++;
		this.duties = new Duties();
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

	/**
	 * The bare deque plus only the duties Eddy's loop owes per callback, written out: on add, the
	 * null check, the caller's thread and the closed flag ({@code execute} refuses otherwise); on
	 * run, the progress count the watchdog reads and the success count behind
	 * {@code LoopStatistics} (opaque stores, as Eddy's), the catch of any {@code Throwable}, and
	 * the interrupt reset between callbacks (issue 12). What it costs over the bare deque is what
	 * those duties cost, whoever implements them; Eddy's distance from it is Eddy's own overhead.
	 */
	@Benchmark
	@OperationsPerInvocation(CALLBACKS)
	public long drain1024_dequeWithDuties() {
		Duties duties = this.duties;
		for (int i = 0; i < CALLBACKS; i++) {
			duties.add(this.callback);
		}
		duties.drain();
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

	/** See {@link #drain1024_dequeWithDuties()}. Loop-confined, like a loop's ready queue. */
	static final class Duties {

		private static final VarHandle PROGRESS;

		private static final VarHandle SUCCEEDED;

		static {
			try {
				MethodHandles.Lookup lookup = MethodHandles.lookup();
				PROGRESS = lookup.findVarHandle(Duties.class, "progress", long.class);
				SUCCEEDED = lookup.findVarHandle(Duties.class, "succeeded", long.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		private final ArrayDeque<Runnable> deque = new ArrayDeque<>(CALLBACKS);

		private final Thread owner = Thread.currentThread();

		private volatile boolean closed;

		private long progress;

		private long succeeded;

		private long failed;

		private boolean interrupted;

		void add(Runnable callback) {
			Objects.requireNonNull(callback, "callback");
			if (Thread.currentThread() != this.owner || this.closed) {
				throw new IllegalStateException("not the owner, or closed");
			}
			this.deque.add(callback);
		}

		void drain() {
			Runnable next;
			while ((next = this.deque.poll()) != null) {
				PROGRESS.setOpaque(this, (long) PROGRESS.getOpaque(this) + 1);
				try {
					next.run();
					SUCCEEDED.setOpaque(this, (long) SUCCEEDED.getOpaque(this) + 1);
				}
				catch (Throwable ex) {
					this.failed++;
				}
				if (Thread.interrupted()) {
					this.interrupted = true; // cleared for the next callback, handed back to the driver later
				}
			}
		}

	}

}
