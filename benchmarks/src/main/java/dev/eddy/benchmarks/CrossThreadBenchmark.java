package dev.eddy.benchmarks;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.eddy.loop.EventLoop;
import io.netty.channel.DefaultEventLoop;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue item 6: handing work to a single-threaded executor from another thread (the JMH thread),
 * for Eddy's {@code EventLoop.create} loop, Netty's {@code DefaultEventLoop} and a one-thread
 * {@code ThreadPoolExecutor} (what {@code Executors.newSingleThreadExecutor()} builds).
 * <ul>
 * <li>{@code roundTrip_*} (SampleTime, so p50 is reported): {@code execute} one task that
 * signals the JMH thread back; the JMH thread spins briefly, then parks, the same way for every
 * peer.</li>
 * <li>{@code hotBurst10_*} (AverageTime, per burst): {@code execute} 10 tasks back to back and wait
 * until the tenth ran; the next burst follows at once.</li>
 * <li>{@code coldBurst10_*}: the same, but before each burst (outside the measured time, a
 * {@code Level.Invocation} setup) the consumer thread is forced asleep: the JMH thread waits
 * until it is parked.</li>
 * </ul>
 * For Eddy, {@code @AuxCounters} count {@code wakeups} ({@code statistics().wakeups()}, how often
 * a producer had to unpark the loop) and {@code bursts}; the report divides them. Target: at most
 * one wake-up per hot burst, and a round-trip p50 no worse than Netty's.
 * <p>Two cores are noisy for this: run at least 3 forks and read the confidence interval.
 * <p>Command: {@code java -jar benchmarks/target/benchmarks.jar CrossThreadBenchmark -f 3 -wi 2 -w 1s -i 3 -r 1s -prof gc}
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CrossThreadBenchmark {

	static final int BURST = 10;

	/** A reusable completion signal from the consumer thread to the JMH thread. */
	static final class Signal {

		private final Thread waiter = Thread.currentThread();

		private volatile boolean done;

		void fire() {
			this.done = true;
			LockSupport.unpark(this.waiter);
		}

		void await() {
			int spins = 0;
			while (!this.done) {
				if (spins++ < 256) {
					Thread.onSpinWait();
				}
				else {
					LockSupport.parkNanos(this, 1_000_000L);
				}
			}
			this.done = false;
		}

	}

	/** One consumer thread, whatever the peer; its tasks are allocated once. */
	public abstract static class Peer {

		Executor executor;

		Thread consumer;

		Signal signal;

		Runnable ping;

		Runnable burstTask;

		private int ranInBurst; // consumer thread only

		abstract Executor start();

		abstract void stop() throws Exception;

		@Setup(Level.Trial)
		public void setUp() throws Exception {
			this.executor = start();
			this.signal = new Signal();
			this.ping = this.signal::fire;
			this.burstTask = () -> {
				if (++this.ranInBurst == BURST) {
					this.ranInBurst = 0;
					this.signal.fire();
				}
			};
			AtomicReference<Thread> thread = new AtomicReference<>();
			this.executor.execute(() -> {
				thread.set(Thread.currentThread());
				this.signal.fire();
			});
			this.signal.await();
			this.consumer = thread.get();
		}

		@TearDown(Level.Trial)
		public void tearDown() throws Exception {
			stop();
		}

		void roundTrip() {
			this.executor.execute(this.ping);
			this.signal.await();
		}

		void burst() {
			for (int i = 0; i < BURST; i++) {
				this.executor.execute(this.burstTask);
			}
			this.signal.await();
		}

		/** Returns once the consumer thread is parked; fails after 5 s rather than measure a warm consumer. */
		void waitUntilAsleep() {
			long deadline = System.nanoTime() + 5_000_000_000L;
			Thread.State state;
			while ((state = this.consumer.getState()) != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("consumer " + this.consumer + " did not park within 5 s; it is " + state);
				}
				Thread.onSpinWait();
			}
		}

	}

	@State(Scope.Thread)
	public static class EddyPeer extends Peer {

		EventLoop loop;

		@Override
		Executor start() {
			this.loop = EventLoop.create("bench-cross");
			return this.loop::execute;
		}

		@Override
		void stop() {
			this.loop.close();
		}

	}

	@State(Scope.Thread)
	public static class NettyPeer extends Peer {

		DefaultEventLoop loop;

		@Override
		Executor start() {
			this.loop = new DefaultEventLoop();
			return this.loop;
		}

		@Override
		void stop() throws Exception {
			this.loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
		}

	}

	@State(Scope.Thread)
	public static class PoolPeer extends Peer {

		ThreadPoolExecutor pool;

		@Override
		Executor start() {
			this.pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
			return this.pool;
		}

		@Override
		void stop() throws Exception {
			this.pool.shutdown();
			this.pool.awaitTermination(10, TimeUnit.SECONDS);
		}

	}

	/*
	 * The cold peers force their consumer asleep before each burst, outside the measured time, with
	 * a Level.Invocation setup declared on the peer state itself. (The earlier version put it on a
	 * separate state that took the peer as a setup argument; for Eddy it never waited: 7.7 M
	 * "cold" bursts of 1.4 us each in 9 one-second iterations, 0.0002 wake-ups per burst, so the
	 * loop was still spinning at every burst. Waiting on the peer state itself is what JMH runs
	 * for certain, and waitUntilAsleep's bounded wait fails loudly rather than measure a warm loop.)
	 */

	@State(Scope.Thread)
	public static class ColdEddyPeer extends EddyPeer {

		@Setup(Level.Invocation)
		public void fallAsleep() {
			waitUntilAsleep();
		}

	}

	@State(Scope.Thread)
	public static class ColdNettyPeer extends NettyPeer {

		@Setup(Level.Invocation)
		public void fallAsleep() {
			waitUntilAsleep();
		}

	}

	@State(Scope.Thread)
	public static class ColdPoolPeer extends PoolPeer {

		@Setup(Level.Invocation)
		public void fallAsleep() {
			waitUntilAsleep();
		}

	}

	/** Wake-ups of the Eddy loop, and bursts sent; RESULTS.md divides them. */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class Wakeups {

		public long wakeups;

		public long bursts;

		@Setup(Level.Iteration)
		public void reset() {
			this.wakeups = 0;
			this.bursts = 0;
		}

		void burst(EddyPeer peer) {
			long before = peer.loop.statistics().wakeups();
			peer.burst();
			this.wakeups += peer.loop.statistics().wakeups() - before;
			this.bursts++;
		}

	}

	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	public void roundTrip_eddy(EddyPeer peer) {
		peer.roundTrip();
	}

	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	public void roundTrip_nettyDefaultEventLoop(NettyPeer peer) {
		peer.roundTrip();
	}

	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	public void roundTrip_threadPoolExecutor(PoolPeer peer) {
		peer.roundTrip();
	}

	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	public void hotBurst10_eddy(EddyPeer peer, Wakeups counters) {
		counters.burst(peer);
	}

	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	public void hotBurst10_nettyDefaultEventLoop(NettyPeer peer) {
		peer.burst();
	}

	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	public void hotBurst10_threadPoolExecutor(PoolPeer peer) {
		peer.burst();
	}

	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	public void coldBurst10_eddy(ColdEddyPeer peer, Wakeups counters) {
		counters.burst(peer);
	}

	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	public void coldBurst10_nettyDefaultEventLoop(ColdNettyPeer peer) {
		peer.burst();
	}

	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	public void coldBurst10_threadPoolExecutor(ColdPoolPeer peer) {
		peer.burst();
	}

}
