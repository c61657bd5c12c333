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
import org.openjdk.jmh.infra.Blackhole;

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
 * <p>Every operation returns its future (the chains: the last one, the first consumed by a
 * {@code Blackhole}), so the futures escape as in real use; see {@code FutureCallbackBenchmark}.
 * Each iteration's tear-down checks that every fan-out delivered all four callbacks.
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

	private long expected;

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

	/** Fails the run if a fan-out lost (or doubled) a callback. */
	@TearDown(Level.Iteration)
	public void checkDelivered() {
		if (this.delivered != this.expected) {
			throw new IllegalStateException("expected " + this.expected + " callbacks delivered, was " + this.delivered);
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.loop.close();
	}

	@Benchmark
	public LoopFuture<Integer> fanOut4_eddy() {
		LoopFuture<Integer> future = this.loop.newFuture();
		future.addDoneCallback(this.eddyCallback);
		future.addDoneCallback(this.eddyCallback);
		future.addDoneCallback(this.eddyCallback);
		future.addDoneCallback(this.eddyCallback);
		future.setResult(VALUE);
		this.loop.runOnce();
		this.expected += 4;
		return future;
	}

	@Benchmark
	public CompletableFuture<Integer> fanOut4_completableFuture() {
		CompletableFuture<Integer> future = new CompletableFuture<>();
		future.thenAccept(this.cfCallback);
		future.thenAccept(this.cfCallback);
		future.thenAccept(this.cfCallback);
		future.thenAccept(this.cfCallback);
		future.complete(VALUE);
		this.expected += 4;
		return future;
	}

	@Benchmark
	public LoopFuture<Integer> chain_eddy(Depth chain, Blackhole blackhole) {
		LoopFuture<Integer> first = this.loop.newFuture();
		LoopFuture<Integer> last = first;
		for (int i = 0; i < chain.depth; i++) {
			LoopFuture<Integer> next = this.loop.newFuture();
			this.futures.chain(last, next);
			last = next;
		}
		first.setResult(VALUE);
		this.loop.runUntilIdle();
		if (last.result() != VALUE) {
			throw new IllegalStateException("chain lost its value: " + last);
		}
		blackhole.consume(first);
		return last;
	}

	@Benchmark
	public CompletableFuture<Integer> chain_completableFuture(Depth chain, Blackhole blackhole) {
		CompletableFuture<Integer> first = new CompletableFuture<>();
		CompletableFuture<Integer> last = first;
		for (int i = 0; i < chain.depth; i++) {
			last = last.thenApply(Function.identity());
		}
		first.complete(VALUE);
		if (last.join() != VALUE) {
			throw new IllegalStateException("chain lost its value: " + last);
		}
		blackhole.consume(first);
		return last;
	}

}
