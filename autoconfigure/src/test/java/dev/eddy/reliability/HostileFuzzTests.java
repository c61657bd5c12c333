package dev.eddy.reliability;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.ScheduledCallback;
import dev.eddy.testsupport.GarbageCollection;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded fuzz test (plain JUnit, {@link SplittableRandom}; the seed is in every failure
 * message; rerun one with {@code -Deddy.fuzz.seed=N}). Each step throws something hostile at the
 * loop, its futures, the unobserved-failure detector or its listeners: callbacks whose
 * {@code toString} throws or recurses, exceptions whose {@code getMessage}, {@code toString} or
 * {@code getCause} throw, cyclic cause chains, {@code Error}s, checked exceptions thrown sneakily,
 * values with cyclic or throwing {@code toString}, listeners that throw. After each step the loop
 * must still run work and its counts must equal the model's; at the end the detector must have
 * reported exactly the failures that were abandoned, each to the listener behind the hostile one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileFuzzTests {

	static final int STEPS = 400;

	static final long[] SEEDS = { 1L, 42L, 20261202L, 0x5EEDL, -7L };

	@Test
	@DisplayName("seeded hostile operations: after each step the loop runs work and every count agrees with the model")
	void hostileOperations_loopSurvivesAndCountsAgree() {
		String fixed = System.getProperty("eddy.fuzz.seed");
		long[] seeds = (fixed != null) ? new long[] { Long.parseLong(fixed) } : SEEDS;
		for (long seed : seeds) {
			try {
				run(seed);
			}
			catch (AssertionError ex) {
				throw new AssertionError("HostileFuzzTests failed with seed " + seed + " (rerun with -Deddy.fuzz.seed=" + seed
						+ "): " + ex.getMessage(), ex);
			}
		}
	}

	/** The model: what the loop and detector must report. */
	static final class Model {

		long succeeded;

		long failed;

		int abandonedFailures;

	}

	private static void run(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		List<UnobservedFailure> reports = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger hostileListenerCalls = new AtomicInteger();
		UnobservedFailureDetector detector = UnobservedFailureDetector.builder()
			.listener((failure) -> {
				hostileListenerCalls.incrementAndGet();
				// Deterministic per failure: throws an Error, a hostile exception, or nothing.
				switch (Math.floorMod(System.identityHashCode(failure.exception()), 3)) {
					case 0 -> throw new AssertionError("hostile listener");
					case 1 -> throw new HostileException(2);
					default -> {
					}
				}
			})
			.listener(reports::add)
			.build();
		Model model = new Model();
		List<ScheduledCallback> handles = new ArrayList<>();
		EventLoop loop = EventLoop.builder("fuzz").unobservedFailureDetector(detector).onCurrentThread();
		try {
			for (int step = 0; step < STEPS; step++) {
				String where = "seed " + seed + ", step " + step;
				int op = random.nextInt(9);
				switch (op) {
					case 0 -> {
						loop.execute(counting(model));
						model.succeeded++;
					}
					case 1 -> {
						loop.execute(new HostileCallback(hostileThrowable(random), random.nextInt(3)));
						model.failed++;
					}
					case 2 -> futureWithCallbacks(loop, random, model);
					case 3 -> {
						Duration delay = switch (random.nextInt(4)) {
							case 0 -> Duration.ZERO;
							case 1 -> Duration.ofNanos(Long.MAX_VALUE);
							case 2 -> Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
							default -> Duration.ofDays(365L * 300);
						};
						boolean hostile = random.nextBoolean();
						Runnable callback = hostile ? new HostileCallback(hostileThrowable(random), random.nextInt(3)) : counting(model);
						ScheduledCallback handle = loop.callLater(delay, callback);
						boolean cancel = random.nextInt(3) == 0;
						if (cancel) {
							assertThat(handle.cancel()).as(where + ": cancel of a waiting timer").isTrue();
						}
						if (delay.isZero() && !cancel) {
							if (hostile) {
								model.failed++;
							}
							else {
								model.succeeded++;
							}
						}
						handles.add(handle);
					}
					case 4 -> {
						// Two timers due in the same iteration, the first cancels the second: the second never runs.
						AtomicReference<ScheduledCallback> second = new AtomicReference<>();
						loop.callLater(Duration.ZERO, () -> assertThat(second.get().cancel()).isTrue());
						second.set(loop.callLater(Duration.ZERO, () -> {
							throw new AssertionError("a timer cancelled by an earlier callback of its iteration ran");
						}));
						model.succeeded++;
					}
					case 5 -> {
						Throwable thrown = hostileRuntime(random);
						try {
							loop.runSync(() -> {
								throw (RuntimeException) thrown;
							}, Duration.ofDays(365L * 300));
							throw new AssertionError(where + ": runSync returned though its supplier threw");
						}
						catch (RuntimeException ex) {
							assertThat(ex).as(where + ": runSync rethrows the supplier's own exception").isSameAs(thrown);
						}
						catch (Exception ex) {
							throw new AssertionError(where + ": runSync threw " + ex.getClass().getName(), ex);
						}
					}
					case 6 -> {
						Object value = hostileValue(random);
						try {
							Object result = loop.runSync(() -> LoopFuture.completed(value), Duration.ofSeconds(Long.MAX_VALUE));
							assertThat(result == value).as(where + ": runSync returns the value itself").isTrue();
						}
						catch (Exception ex) {
							throw new AssertionError(where + ": runSync threw " + ex.getClass().getName(), ex);
						}
					}
					case 7 -> {
						// A failed future nobody observes: the detector must report it, whatever its exception does.
						LoopFuture<Object> future = loop.newFuture();
						future.setException(hostileThrowable(random));
						model.abandonedFailures++;
					}
					default -> {
						CompletableFuture<Object> submitted = loop.submit(() -> LoopFuture.completed("submitted"));
						model.succeeded++; // the submitted task is one callback
						loop.runUntilIdle();
						assertThat(submitted.getNow(null)).as(where + ": submit completed").isEqualTo("submitted");
					}
				}
				loop.runUntilIdle();
				// The loop still runs work, and every count agrees with the model.
				AtomicInteger probe = new AtomicInteger();
				loop.execute(probe::incrementAndGet);
				model.succeeded++;
				loop.runUntilIdle();
				assertThat(probe).as(where + ": the loop still runs work").hasValue(1);
				assertThat(loop.statistics().callbacksSucceeded()).as(where + ": callbacks succeeded").isEqualTo(model.succeeded);
				assertThat(loop.statistics().callbacksFailed()).as(where + ": callbacks failed").isEqualTo(model.failed);
				assertThat(loop.statistics().callbacksRejected()).as(where + ": callbacks rejected").isZero();
				assertThat(loop.statistics().alive()).as(where + ": alive").isTrue();
			}
		}
		finally {
			loop.close();
		}
		assertThat(loop.isTerminated()).isTrue();
		for (ScheduledCallback handle : handles) {
			assertThat(handle.cancelled() || !handle.cancel()).as("seed %d: no timer left waiting after close", seed).isTrue();
		}
		GarbageCollection.awaitReports(reports, model.abandonedFailures);
		GarbageCollection.settle();
		assertThat(reports).as("seed %d: exactly the abandoned failures were reported", seed).hasSize(model.abandonedFailures);
		assertThat(detector.reportedCount()).as("seed %d: detector's count", seed).isEqualTo(model.abandonedFailures);
		assertThat(hostileListenerCalls).as("seed %d: the hostile listener was told each time", seed)
			.hasValue(model.abandonedFailures);
		detector.close();
	}

	private static void futureWithCallbacks(EventLoop loop, SplittableRandom random, Model model) {
		LoopFuture<Object> future = loop.newFuture();
		int callbacks = random.nextInt(4);
		int outcome = random.nextInt(3);
		boolean observe = random.nextBoolean();
		boolean plainRegistered = false;
		for (int i = 0; i < callbacks; i++) {
			if (random.nextBoolean()) {
				Throwable thrown = hostileThrowable(random);
				future.addDoneCallback(new HostileConsumer(thrown, random.nextInt(3)));
				model.failed++;
			}
			else {
				future.addDoneCallback((f) -> {
					if (observe && !f.cancelled()) {
						f.exception(); // observes a failure
					}
				});
				plainRegistered = true;
				model.succeeded++;
			}
		}
		boolean observedByCallback = observe && plainRegistered;
		switch (outcome) {
			case 0 -> future.setResult(hostileValue(random));
			case 1 -> {
				future.setException(hostileThrowable(random));
				if (!observedByCallback) {
					// Either observed here, or abandoned and reported.
					if (random.nextBoolean()) {
						future.exception();
					}
					else {
						model.abandonedFailures++;
					}
				}
			}
			default -> future.cancel(random.nextBoolean() ? null : "cancelled by the fuzz");
		}
	}

	private static Runnable counting(Model model) {
		return () -> {
		};
	}

	// ---------------------------------------------------------------- hostile material

	static Throwable hostileThrowable(SplittableRandom random) {
		return switch (random.nextInt(7)) {
			case 0 -> new HostileException(random.nextInt(3));
			case 1 -> cyclicChain();
			case 2 -> new AssertionError("an Error from user code");
			case 3 -> new IOException("checked, thrown sneakily");
			case 4 -> new IllegalStateException("x".repeat(100_000));
			case 5 -> new LinkageError("another Error");
			default -> new HostileException(3);
		};
	}

	static RuntimeException hostileRuntime(SplittableRandom random) {
		return (random.nextBoolean()) ? new HostileException(random.nextInt(4)) : (RuntimeException) cyclicChain();
	}

	static Throwable cyclicChain() {
		IllegalStateException a = new IllegalStateException("a");
		IllegalArgumentException b = new IllegalArgumentException("b", a);
		a.initCause(b);
		return a;
	}

	static Object hostileValue(SplittableRandom random) {
		return switch (random.nextInt(4)) {
			case 0 -> new Cyclic();
			case 1 -> new Object() {

				@Override
				public String toString() {
					throw new IllegalStateException("toString of a value");
				}
			};
			case 2 -> new Object() {

				@Override
				public String toString() {
					return null;
				}
			};
			default -> "y".repeat(1_000_000);
		};
	}

	static final class Cyclic {

		final List<Object> children = new ArrayList<>();

		Cyclic() {
			this.children.add(this);
		}

		@Override
		public String toString() {
			return "Cyclic" + this.children;
		}

	}

	/** An exception whose methods throw: 0 getMessage, 1 toString, 2 both plus getCause, 3 getStackTrace too. */
	static final class HostileException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final int kind;

		HostileException(int kind) {
			this.kind = kind;
		}

		@Override
		public String getMessage() {
			if (this.kind != 1) {
				throw new IllegalStateException("getMessage");
			}
			return "fine";
		}

		@Override
		public String toString() {
			if (this.kind >= 1) {
				throw new UnsupportedOperationException("toString");
			}
			return "HostileException";
		}

		@Override
		public synchronized Throwable getCause() {
			if (this.kind >= 2) {
				throw new IllegalStateException("getCause");
			}
			return null;
		}

		@Override
		public StackTraceElement[] getStackTrace() {
			if (this.kind == 3) {
				throw new IllegalStateException("getStackTrace");
			}
			return super.getStackTrace();
		}

	}

	@SuppressWarnings("unchecked")
	static <E extends Throwable> void sneakyThrow(Throwable ex) throws E {
		throw (E) ex;
	}

	/** A callback that throws; its toString throws (0), recurses (1) or returns null (2). */
	static final class HostileCallback implements Runnable {

		private final Throwable thrown;

		private final int describe;

		HostileCallback(Throwable thrown, int describe) {
			this.thrown = thrown;
			this.describe = describe;
		}

		@Override
		public void run() {
			HostileFuzzTests.<RuntimeException>sneakyThrow(this.thrown);
		}

		@Override
		public String toString() {
			return switch (this.describe) {
				case 0 -> throw new IllegalStateException("toString of a callback");
				case 1 -> "HostileCallback(" + this + ")";
				default -> null;
			};
		}

	}

	static final class HostileConsumer implements Consumer<LoopFuture<Object>> {

		private final HostileCallback delegate;

		HostileConsumer(Throwable thrown, int describe) {
			this.delegate = new HostileCallback(thrown, describe);
		}

		@Override
		public void accept(LoopFuture<Object> future) {
			this.delegate.run();
		}

		@Override
		public String toString() {
			return this.delegate.toString();
		}

	}

}
