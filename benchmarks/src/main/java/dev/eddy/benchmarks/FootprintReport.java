package dev.eddy.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Issue item 8: bytes retained by one pending future with 0, 1 and 2 callbacks, for Eddy's
 * {@link LoopFuture} and the peers of {@link FutureCallbackBenchmark}, measured with JOL:
 * {@code GraphLayout.parseInstance(future).subtract(shared).totalSize()} (JVM flags
 * {@code -Djol.magicFieldOffset=true -Djdk.attach.allowAttachSelf=true}), where {@code shared}
 * is the graph of what every future of that kind points to and does not own (the loop, the
 * executor, the callback objects themselves, the value). Callback records the future creates
 * (Guava's listener nodes, {@code CompletableFuture}'s dependent stages) count.
 * <p>Not a JMH benchmark: a {@code main} that prints a table and, given a path, writes it there
 * as tab-separated {@code subject, callbacks, bytes} lines for {@code ResultsReport}. The suite
 * runs it; alone:
 * {@code java -Djol.magicFieldOffset=true -Djdk.attach.allowAttachSelf=true -cp benchmarks/target/benchmarks.jar dev.eddy.benchmarks.FootprintReport [out.tsv]}
 */
public final class FootprintReport {

	private FootprintReport() {
	}

	public static void main(String[] args) throws IOException {
		System.out.println(VM.current().details());
		List<String> lines = new ArrayList<>();
		EventLoop loop = EventLoop.onCurrentThread("footprint");
		try {
			Consumer<LoopFuture<Integer>> eddyA = (f) -> { };
			Consumer<LoopFuture<Integer>> eddyB = (f) -> { };
			Consumer<Integer> cfA = (v) -> { };
			Consumer<Integer> cfB = (v) -> { };
			Runnable guavaA = () -> { };
			Runnable guavaB = () -> { };
			GenericFutureListener<io.netty.util.concurrent.Future<Integer>> nettyA = (f) -> { };
			GenericFutureListener<io.netty.util.concurrent.Future<Integer>> nettyB = (f) -> { };
			for (int callbacks = 0; callbacks <= 2; callbacks++) {
				LoopFuture<Integer> eddy = loop.newFuture();
				if (callbacks >= 1) {
					eddy.addDoneCallback(eddyA);
				}
				if (callbacks >= 2) {
					eddy.addDoneCallback(eddyB);
				}
				lines.add(line("eddy", callbacks, size(eddy, loop, eddyA, eddyB)));

				CompletableFuture<Integer> cf = new CompletableFuture<>();
				if (callbacks >= 1) {
					cf.thenAccept(cfA);
				}
				if (callbacks >= 2) {
					cf.thenAccept(cfB);
				}
				lines.add(line("completableFuture", callbacks, size(cf, cfA, cfB)));

				SettableFuture<Integer> guava = SettableFuture.create();
				if (callbacks >= 1) {
					guava.addListener(guavaA, MoreExecutors.directExecutor());
				}
				if (callbacks >= 2) {
					guava.addListener(guavaB, MoreExecutors.directExecutor());
				}
				lines.add(line("guava", callbacks, size(guava, guavaA, guavaB, MoreExecutors.directExecutor())));

				DefaultPromise<Integer> netty = new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
				if (callbacks >= 1) {
					netty.addListener(nettyA);
				}
				if (callbacks >= 2) {
					netty.addListener(nettyB);
				}
				lines.add(line("netty", callbacks, size(netty, nettyA, nettyB, ImmediateEventExecutor.INSTANCE)));
			}
		}
		finally {
			loop.close();
		}
		System.out.printf("%-20s %9s %6s%n", "future", "callbacks", "bytes");
		for (String line : lines) {
			String[] cells = line.split("\t");
			System.out.printf("%-20s %9s %6s%n", cells[0], cells[1], cells[2]);
		}
		if (args.length > 0) {
			Files.write(Path.of(args[0]), lines);
		}
	}

	/**
	 * The future's graph less the shared one. Walking the loop's graph passes through its thread,
	 * whose thread-locals the walk itself changes, so the shared graph is walked before and after
	 * and the smallest of a few attempts is kept.
	 */
	private static long size(Object future, Object... shared) {
		long best = Long.MAX_VALUE;
		for (int attempt = 0; attempt < 5; attempt++) {
			GraphLayout before = GraphLayout.parseInstance(shared);
			GraphLayout own = GraphLayout.parseInstance(future);
			GraphLayout after = GraphLayout.parseInstance(shared);
			best = Math.min(best, own.subtract(before).subtract(after).totalSize());
		}
		return best;
	}

	private static String line(String subject, int callbacks, long bytes) {
		return subject + "\t" + callbacks + "\t" + bytes;
	}


}
