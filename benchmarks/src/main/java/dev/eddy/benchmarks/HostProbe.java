package dev.eddy.benchmarks;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What kind of host the benchmarks ran on, in the figures that decide Eddy's ratios: the latency
 * of a load at each level of the memory hierarchy (a pointer chase through a random cycle, so
 * that no prefetcher helps), and the cost of one atomic read-modify-write ({@code lock xadd}).
 * Eddy's loop thread runs plain loads and stores; {@code CompletableFuture}, Guava and Netty
 * pay compare-and-sets. A host whose plain memory work is slow and whose atomics are not moves
 * every ratio against Eddy (benchmarks/RESULTS.md, "A second host").
 * <p>Not a JMH benchmark: a rough probe, printed once per size, medians of five rounds. Run it
 * next to a JMH run so that two runs on different hosts can be told apart:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.eddy.benchmarks.HostProbe}.
 */
public final class HostProbe {

	private static final int ROUNDS = 5;

	private static long sink;

	private HostProbe() {
	}

	public static void main(String[] args) {
		System.out.println("host: " + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors()
				+ " CPUs, JDK " + System.getProperty("java.version"));
		int[][] sizes = { { 4 << 10, 100_000_000 }, { 256 << 10, 50_000_000 }, { 4 << 20, 10_000_000 }, { 128 << 20, 5_000_000 } };
		for (int[] size : sizes) {
			double[] rounds = new double[ROUNDS];
			int[] cycle = randomCycle(size[0] / Integer.BYTES);
			for (int r = 0; r < ROUNDS; r++) {
				rounds[r] = chase(cycle, size[1]);
			}
			System.out.printf(Locale.ROOT, "dependent load, working set %6d KiB: %7.2f ns (median of %d)%n", size[0] >> 10,
					TargetSummary.median(rounds), ROUNDS);
		}
		AtomicLong counter = new AtomicLong();
		double[] rounds = new double[ROUNDS];
		for (int r = 0; r < ROUNDS; r++) {
			int n = 50_000_000;
			long start = System.nanoTime();
			for (int i = 0; i < n; i++) {
				counter.incrementAndGet();
			}
			rounds[r] = (System.nanoTime() - start) / (double) n;
		}
		System.out.printf(Locale.ROOT, "atomic increment (lock xadd), one thread: %.2f ns (median of %d)%n",
				TargetSummary.median(rounds), ROUNDS);
		if (sink == 42 && counter.get() == 42) {
			System.out.println(); // keeps both results alive
		}
	}

	/** An array whose entries form one random cycle through all its indexes. */
	private static int[] randomCycle(int length) {
		int[] order = new int[length];
		for (int i = 0; i < length; i++) {
			order[i] = i;
		}
		SplittableRandom random = new SplittableRandom(42);
		for (int i = length - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			int swap = order[i];
			order[i] = order[j];
			order[j] = swap;
		}
		int[] next = new int[length];
		for (int i = 0; i < length; i++) {
			next[order[i]] = order[(i + 1) % length];
		}
		return next;
	}

	private static double chase(int[] next, int steps) {
		int at = 0;
		long start = System.nanoTime();
		for (int s = 0; s < steps; s++) {
			at = next[at];
		}
		double perLoad = (System.nanoTime() - start) / (double) steps;
		sink += at;
		return perLoad;
	}

}
