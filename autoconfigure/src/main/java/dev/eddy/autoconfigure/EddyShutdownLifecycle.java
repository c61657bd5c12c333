package dev.eddy.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Stops the named executors and the default loop in one lifecycle phase, {@link #PHASE}: after
 * Spring Boot's graceful shutdown of the web server ({@code SmartLifecycle.DEFAULT_PHASE - 1024})
 * has let in-flight requests finish, before the web server itself stops
 * ({@code DEFAULT_PHASE - 2048}). All of them stop at once, in parallel: the loop drains while the
 * executors finish, and accepts the hand-offs that complete their futures (D-2). Each executor's
 * {@code await-termination} and the loop's {@code drain-timeout} are capped at build time so that
 * the phase ends within {@code spring.lifecycle.timeout-per-shutdown-phase}; what is abandoned is
 * cancelled with a message and counted, as before. Stopping is final: the executors and the loop
 * do not restart. Bean destruction closes them again, which is then a no-op.
 * <p>Thread-safe.
 */
final class EddyShutdownLifecycle implements SmartLifecycle {

	/** Between Boot's graceful web-server shutdown and the web server's stop. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

	private final EventLoop loop;

	private final @Nullable NamedExecutors executors;

	private volatile boolean running;

	EddyShutdownLifecycle(EventLoop loop, @Nullable NamedExecutors executors) {
		this.loop = loop;
		this.executors = executors;
	}

	@Override
	public void start() {
		this.running = !this.loop.isClosing();
	}

	/** Stops and waits until the executors and the loop are done (each wait is bounded by its own timeout). */
	@Override
	public void stop() {
		java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
		stop(done::countDown);
		boolean interrupted = false;
		while (true) {
			try {
				done.await();
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		List<Runnable> closers = new ArrayList<>();
		if (this.executors != null) {
			closers.add(this.executors::close); // every executor in parallel
		}
		closers.add(this.loop::close);
		AtomicInteger left = new AtomicInteger(closers.size());
		for (Runnable closer : closers) {
			Thread thread = new Thread(() -> {
				try {
					closer.run();
				}
				finally {
					if (left.decrementAndGet() == 0) {
						callback.run();
					}
				}
			}, "eddy-shutdown-" + ((closer == closers.get(closers.size() - 1)) ? this.loop.name() : "executors"));
			thread.setDaemon(true);
			thread.start();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public String toString() {
		return "EddyShutdownLifecycle[loop=" + this.loop.name() + ", executors=" + this.executors + "]";
	}

}
