package dev.eddy.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.eddy.concurrent.Futures;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
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

/**
 * Issue item 3, single-threaded, Eddy against {@code CompletableFuture}.
 * <ul>
 * <li>{@code fanOut4_*}: new future, four callbacks, complete, all four delivered (Eddy: one
 * {@code runOnce()}).</li>
 * <li>{@code chain_*}: a chain of {@code depth} futures, each completing the next: Eddy with
 * {@link Futures#chain(LoopFuture, LoopFuture)} (Tornado's {@code chain_future}, one loop
 * iteration per link, drained with {@code runUntilIdle()}); {@code CompletableFuture} with
 * {@code thenApply(identity)}. Depth 100 and 1,000: the time per operation must grow linearly
 * (10x, not 100x) and neither may overflow the stack.</li>
 * </ul>
 * <p>Command: {@code java -jar benchmarks/target/benchmarks.jar FanOutChainBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FanOutChainBenchmark {

	private static final Integer VALUE = 42;

	private EventLoop loop;

	private Futures futures;

	private long delivered;

	private Consumer<LoopFuture<Integer>> eddyCallback;

	private Consumer<Integer> cfCallback;

	/** Chain length; only the chain benchmarks use it. */
	@State(Scope.Thread)
	public static class Depth {

		@Param({ "100", "1000" })
		public int depth;

	}

	@Setup(Level.Trial)
	public void setUp() {
		this.loop = EventLoop.onCurrentThread("bench");
		this.futures = Futures.of(this.loop);
		this.eddyCallback = (future) -> this.delivered++;
		this.cfCallback = (value) -> this.delivered++;
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.loop.close();
	}

	@Benchmark
	public long fanOut4_eddy() {
		LoopFuture<Integer> future = this.loop.newFuture();
		future.addDoneCallback(this.eddyCallback);
		future.addDoneCallback(this.eddyCallback);
		future.addDoneCallback(this.eddyCallback);
		future.addDoneCallback(this.eddyCallback);
		future.setResult(VALUE);
		this.loop.runOnce();
		return this.delivered;
	}

	@Benchmark
	public long fanOut4_completableFuture() {
		CompletableFuture<Integer> future = new CompletableFuture<>();
		future.thenAccept(this.cfCallback);
		future.thenAccept(this.cfCallback);
		future.thenAccept(this.cfCallback);
		future.thenAccept(this.cfCallback);
		future.complete(VALUE);
		return this.delivered;
	}

	@Benchmark
	public Integer chain_eddy(Depth chain) {
		LoopFuture<Integer> first = this.loop.newFuture();
		LoopFuture<Integer> last = first;
		for (int i = 0; i < chain.depth; i++) {
			LoopFuture<Integer> next = this.loop.newFuture();
			this.futures.chain(last, next);
			last = next;
		}
		first.setResult(VALUE);
		this.loop.runUntilIdle();
		return last.result();
	}

	@Benchmark
	public Integer chain_completableFuture(Depth chain) {
		CompletableFuture<Integer> first = new CompletableFuture<>();
		CompletableFuture<Integer> last = first;
		for (int i = 0; i < chain.depth; i++) {
			last = last.thenApply(Function.identity());
		}
		first.complete(VALUE);
		return last.join();
	}

}
