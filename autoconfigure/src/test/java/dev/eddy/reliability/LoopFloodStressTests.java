package dev.eddy.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.EventLoopBuilder;
import dev.eddy.loop.EventLoopFullException;
import dev.eddy.loop.ScheduledCallback;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Four producers flood a busy loop with the default capacity ({@code eddy.loop.queue-capacity},
 * 1,000,000) in a JVM with a 256 MB heap, forked for the purpose ({@code -Xmx256m
 * -XX:+ExitOnOutOfMemoryError}): first {@code execute}, then {@code callLater}. Each producer
 * keeps going until it has seen 10,000 rejections or made 3,000,000 attempts; an unbounded loop
 * holds the 12 M callbacks that would take (about 9 M exhaust 256 MB), so the child dies of an
 * {@code OutOfMemoryError} (exit code 3) or ends without rejections. Bounded, the child reports
 * exact counts: every attempt accepted or rejected, every accepted callback ran once, Eddy's
 * rejected count equals the producers', and the loop still runs work.
 */
@Tag("stress")
class LoopFloodStressTests {

	static final int PRODUCERS = 4;

	static final int REJECTIONS_PER_PRODUCER = 10_000;

	static final int MAX_ATTEMPTS_PER_PRODUCER = 3_000_000;

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	@DisplayName("4 producers flood a busy loop in a 256 MB JVM: rejections, exact counts, a loop that still runs work, no OutOfMemoryError")
	void flood_in256MbHeap_boundedWithExactCounts() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
				"-cp", System.getProperty("java.class.path"), Flood.class.getName());
		builder.redirectErrorStream(true);
		long started = System.nanoTime();
		Process child = builder.start();
		Map<String, Long> figures = new HashMap<>();
		List<String> output = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				output.add(line);
				if (line.startsWith("FIGURE ")) {
					String[] parts = line.substring(7).split("=");
					figures.put(parts[0], Long.parseLong(parts[1]));
				}
			}
		}
		boolean exited = child.waitFor(90, TimeUnit.SECONDS);
		if (!exited) {
			child.destroyForcibly();
		}
		long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		String tail = String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size()));
		assertThat(exited).as("child exited in time; output:\n%s", tail).isTrue();
		assertThat(child.exitValue()).as("child exit code (3 = OutOfMemoryError); output:\n%s", tail).isZero();
		System.out.println("LoopFloodStressTests figures (child JVM -Xmx256m, " + tookMillis + " ms): " + figures);
		for (String phase : List.of("execute", "callLater")) {
			long attempts = figures.get(phase + ".attempts");
			long accepted = figures.get(phase + ".accepted");
			long rejected = figures.get(phase + ".rejected");
			assertThat(accepted + rejected).as("%s: every attempt accepted or rejected", phase).isEqualTo(attempts);
			assertThat(rejected).as("%s: rejections happened", phase).isPositive();
			assertThat(figures.get(phase + ".loopRejected")).as("%s: Eddy counted every rejection", phase).isEqualTo(rejected);
			assertThat(figures.get(phase + ".otherExceptions")).as("%s: no other exception", phase).isZero();
		}
		assertThat(figures.get("execute.ran")).as("every accepted callback ran once").isEqualTo(figures.get("execute.accepted"));
		assertThat(figures.get("callLater.accepted")).as("pending timers within the capacity")
			.isLessThanOrEqualTo(EventLoopBuilder.DEFAULT_QUEUE_CAPACITY);
		assertThat(figures.get("callLater.cancelled")).as("every accepted timer cancelled by its producer")
			.isEqualTo(figures.get("callLater.accepted"));
		assertThat(figures.get("after.ran")).as("the loop still runs work").isEqualTo(1);
	}

	/** The child JVM: floods a loop with the default capacity and prints its figures. */
	public static final class Flood {

		private Flood() {
		}

		/**
		 * Floods a loop and prints its figures.
		 * @param args optionally a capacity instead of the default ({@code 2147483647} shows what an
		 * unbounded loop does: the child dies of an OutOfMemoryError)
		 */
		public static void main(String[] args) throws Exception {
			EventLoop loop = (args.length > 0) ? EventLoop.builder("flood").queueCapacity(Integer.parseInt(args[0])).start()
					: EventLoop.create("flood");
			try {
				floodExecute(loop);
				floodCallLater(loop);
				CompletableFuture<Integer> after = loop.submit(() -> LoopFuture.completed(1));
				figure("after.ran", after.get(30, TimeUnit.SECONDS));
			}
			finally {
				long closeStarted = System.nanoTime();
				loop.close();
				figure("closeMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStarted));
			}
			System.exit(0);
		}

		private static void floodExecute(EventLoop loop) throws Exception {
			LongAdder ran = new LongAdder();
			long rejectedBefore = loop.statistics().callbacksRejected();
			// A busy loop: every callback spins about a microsecond.
			Runnable busy = () -> {
				long until = System.nanoTime() + 1_000;
				while (System.nanoTime() < until) {
					Thread.onSpinWait();
				}
				ran.increment();
			};
			Counts counts = produce((producer) -> {
				loop.execute(busy);
				return null;
			});
			long drainStarted = System.nanoTime();
			awaitSucceeded(loop, counts.accepted.get());
			figure("execute.drainMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStarted));
			figure("execute.attempts", counts.attempts.get());
			figure("execute.accepted", counts.accepted.get());
			figure("execute.rejected", counts.rejected.get());
			figure("execute.otherExceptions", counts.other.get());
			figure("execute.loopRejected", loop.statistics().callbacksRejected() - rejectedBefore);
			figure("execute.ran", ran.sum());
			figure("execute.millis", counts.millis);
		}

		private static void floodCallLater(EventLoop loop) throws Exception {
			long rejectedBefore = loop.statistics().callbacksRejected();
			List<List<ScheduledCallback>> handles = new ArrayList<>();
			for (int i = 0; i < PRODUCERS; i++) {
				handles.add(new ArrayList<>());
			}
			Runnable never = () -> {
				throw new AssertionError("a timer an hour away ran");
			};
			Counts counts = produce((producer) -> {
				handles.get(producer).add(loop.callLater(Duration.ofHours(1), never));
				return null;
			});
			long cancelStarted = System.nanoTime();
			long cancelled = 0;
			for (List<ScheduledCallback> list : handles) {
				for (ScheduledCallback handle : list) {
					if (handle.cancel()) {
						cancelled++;
					}
				}
			}
			figure("callLater.cancelMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelStarted));
			figure("callLater.attempts", counts.attempts.get());
			figure("callLater.accepted", counts.accepted.get());
			figure("callLater.rejected", counts.rejected.get());
			figure("callLater.otherExceptions", counts.other.get());
			figure("callLater.loopRejected", loop.statistics().callbacksRejected() - rejectedBefore);
			figure("callLater.cancelled", cancelled);
			figure("callLater.millis", counts.millis);
		}

		interface Attempt {

			Object run(int producer);

		}

		static final class Counts {

			final AtomicLong attempts = new AtomicLong();

			final AtomicLong accepted = new AtomicLong();

			final AtomicLong rejected = new AtomicLong();

			final AtomicLong other = new AtomicLong();

			long millis;

		}

		private static Counts produce(Attempt attempt) throws InterruptedException {
			Counts counts = new Counts();
			CountDownLatch start = new CountDownLatch(1);
			List<Thread> producers = new ArrayList<>();
			for (int p = 0; p < PRODUCERS; p++) {
				int producer = p;
				Thread thread = new Thread(() -> {
					awaitQuietly(start);
					long attempts = 0;
					long accepted = 0;
					long rejected = 0;
					long other = 0;
					while (rejected < REJECTIONS_PER_PRODUCER && attempts < MAX_ATTEMPTS_PER_PRODUCER) {
						attempts++;
						try {
							attempt.run(producer);
							accepted++;
						}
						catch (EventLoopFullException ex) {
							rejected++;
						}
						catch (RuntimeException ex) {
							other++;
						}
					}
					counts.attempts.addAndGet(attempts);
					counts.accepted.addAndGet(accepted);
					counts.rejected.addAndGet(rejected);
					counts.other.addAndGet(other);
				}, "producer-" + p);
				thread.start();
				producers.add(thread);
			}
			long started = System.nanoTime();
			start.countDown();
			for (Thread thread : producers) {
				thread.join(TimeUnit.SECONDS.toMillis(60));
			}
			counts.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			return counts;
		}

		private static void awaitSucceeded(EventLoop loop, long count) throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (loop.statistics().callbacksSucceeded() < count && System.nanoTime() < deadline) {
				Thread.sleep(5);
			}
		}

		private static void awaitQuietly(CountDownLatch latch) {
			try {
				latch.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private static void figure(String name, long value) {
			System.out.println("FIGURE " + name + "=" + value);
		}

	}

}
