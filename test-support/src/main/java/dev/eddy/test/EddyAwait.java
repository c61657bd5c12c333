package dev.eddy.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.eddy.executor.NamedExecutor;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.LoopStatistics;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

/**
 * Bounded waits until Eddy's named executors and a loop are idle, in the style of Awaitility:
 * <pre>{@code
 * EddyAwait.atMost(Duration.ofSeconds(5)).untilIdle(executors, "io").untilIdle(loop);
 * EddyAwait.atMost(Duration.ofSeconds(5)).untilIdle(loop, executors, "io");   // both at once
 * }</pre>
 * An executor is idle when no task of it runs, waits in its queue or is in flight; a loop when
 * no callback is queued and it is not inside an iteration. A {@link TestLoop} (or any loop made
 * by {@code onCurrentThread}) cannot run by itself: when the waiting thread owns it, the wait
 * drives it one iteration at a time (a callback that reschedules itself forever ends in the
 * timeout, not in a hang); when another thread owns it, that thread must drive it. On timeout an
 * {@link AssertionFailedError} says what was still busy.
 * <p>Thread-safe (immutable).
 */
public final class EddyAwait {

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private final Duration timeout;

	private EddyAwait(Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * A wait of at most {@code timeout}.
	 * @param timeout positive
	 * @return the wait
	 */
	public static EddyAwait atMost(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout");
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("'timeout' must be positive, was " + timeout);
		}
		return new EddyAwait(timeout);
	}

	/**
	 * Waits until every named executor is idle.
	 * @param executors the registry (the {@code NamedExecutors} bean)
	 * @param names executor names; none means every executor Eddy built
	 * @return this wait, for another condition
	 * @throws IllegalArgumentException naming the known executors when a name is unknown or
	 * names an {@code Executor} bean that Eddy does not manage
	 */
	public EddyAwait untilIdle(NamedExecutors executors, String... names) {
		await(null, resolve(executors, names));
		return this;
	}

	/**
	 * Waits until a loop is idle.
	 * @param loop the loop
	 * @return this wait, for another condition
	 */
	public EddyAwait untilIdle(EventLoop loop) {
		await(Objects.requireNonNull(loop, "loop"), List.of());
		return this;
	}

	/**
	 * Waits until the named executors and the loop are idle at the same moment: the usual wait
	 * after calling a {@code @RunOnExecutor} method whose {@code LoopFuture} completes on the loop.
	 * @param loop the loop
	 * @param executors the registry
	 * @param names executor names; none means every executor Eddy built
	 * @return this wait
	 */
	public EddyAwait untilIdle(EventLoop loop, NamedExecutors executors, String... names) {
		await(Objects.requireNonNull(loop, "loop"), resolve(executors, names));
		return this;
	}

	/**
	 * Waits until the given executors are idle.
	 * @param executors the executors
	 * @return this wait
	 */
	public EddyAwait untilIdle(NamedExecutor... executors) {
		await(null, List.of(executors));
		return this;
	}

	private static List<NamedExecutor> resolve(NamedExecutors executors, String... names) {
		Objects.requireNonNull(executors, "executors");
		if (names.length == 0) {
			return List.copyOf(executors.managed().values());
		}
		List<NamedExecutor> found = new ArrayList<>();
		for (String name : names) {
			Objects.requireNonNull(name, "name");
			NamedExecutor own = executors.managed().get(name);
			if (own == null) {
				Executor external = executors.find(name);
				throw new IllegalArgumentException((external != null)
						? "'" + name + "' is an Executor bean that Eddy does not manage, so its idleness is unknown; wait on "
								+ "one of Eddy's executors " + executors.managed().keySet() + " or on the bean itself"
						: "No executor named '" + name + "'; known: " + executors.managed().keySet()
								+ "; configure eddy.executors." + name + ".* or wait on one of those");
			}
			found.add(own);
		}
		return found;
	}

	private void await(@Nullable EventLoop loop, List<NamedExecutor> executors) {
		// Only a loop driven by its caller can be owned by the waiting thread: then the wait drives it.
		boolean drive = loop != null && loop.inLoopThread() && !loop.isTerminated();
		long deadline = System.nanoTime() + this.timeout.toNanos();
		while (true) {
			if (drive) {
				loop.runOnce();
			}
			// Executors first, then the loop: a task that finishes hands its outcome to the loop.
			String busy = busyExecutors(executors);
			if (busy == null && loop != null) {
				busy = busyLoop(loop);
			}
			if (busy == null) {
				return;
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new AssertionFailedError("Not idle within " + this.timeout + ": " + busy);
			}
			if (!drive) {
				sleep();
			}
			else if (busyExecutors(executors) != null) {
				sleep();
			}
		}
	}

	private static @Nullable String busyExecutors(List<NamedExecutor> executors) {
		StringBuilder busy = null;
		for (NamedExecutor executor : executors) {
			int active = executor.activeCount();
			int queued = executor.queuedCount();
			int inFlight = executor.inFlightCount();
			if (active > 0 || queued > 0 || inFlight > 0) {
				busy = (busy == null) ? new StringBuilder() : busy.append("; ");
				busy.append("executor '").append(executor.name()).append("' has ").append(active).append(" running, ")
					.append(queued).append(" queued, ").append(inFlight).append(" in flight");
			}
		}
		return (busy != null) ? busy.toString() : null;
	}

	private static @Nullable String busyLoop(EventLoop loop) {
		if (loop.isTerminated()) {
			return null;
		}
		LoopStatistics statistics = loop.statistics();
		int pending = statistics.pending();
		boolean inIteration = statistics.busy() && !loop.inLoopThread();
		if (pending == 0 && !inIteration) {
			return null;
		}
		return "EventLoop '" + loop.name() + "' has " + pending + " callback(s) queued"
				+ (inIteration ? " and is running a callback" : "");
	}

	private static void sleep() {
		try {
			TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for Eddy to be idle", ex);
		}
	}

}
