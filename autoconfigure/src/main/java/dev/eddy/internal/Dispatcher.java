package dev.eddy.internal;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.jspecify.annotations.Nullable;

/**
 * Runs a method body on an executor and hands its outcome to a future of the declared kind:
 * Tornado's {@code run_on_executor} without the Spring parts.
 * <ul>
 * <li>{@code void}: a rejection is thrown to the caller (D-6); a failure of the body is reported
 * to the unobserved-failure detector at once, since nothing can observe it.</li>
 * <li>{@code LoopFuture}: a future of the caller's loop, else the default loop (D-4), completed
 * on that loop one iteration after the body finished (ROE-5).</li>
 * <li>{@code CompletableFuture}, {@code CompletionStage}, {@code Future}: an Eddy
 * {@code CompletableFuture} completed on the pool thread, tracked for unobserved failures.</li>
 * </ul>
 * In every case a rejection or a shutdown that abandons the task fails or cancels the future: none
 * is left pending. Cancelling the returned future does not interrupt the body (ROE-9).
 * <p>Thread-safe.
 */
public final class Dispatcher {

	/** The return types a dispatched method may declare. */
	public enum ReturnKind {

		/** {@code void}. */
		VOID,

		/** {@code LoopFuture}. */
		LOOP_FUTURE,

		/** {@code CompletableFuture}, {@code CompletionStage} or {@code Future}. */
		COMPLETABLE_FUTURE;

		/**
		 * @param type a declared return type
		 * @return its kind, or null if not supported
		 */
		public static @Nullable ReturnKind of(Class<?> type) {
			if (type == void.class) {
				return VOID;
			}
			if (type == LoopFuture.class) {
				return LOOP_FUTURE;
			}
			if (type == CompletableFuture.class || type == CompletionStage.class || type == Future.class) {
				return COMPLETABLE_FUTURE;
			}
			return null;
		}

	}

	/** A method body; may throw anything. */
	@FunctionalInterface
	public interface Body {

		/**
		 * Runs the body.
		 * @return what it returned
		 * @throws Throwable what it threw
		 */
		@Nullable Object call() throws Throwable;

	}

	private final DefaultEventLoop defaultLoop;

	private final UnobservedFailureDetector detector;

	private final @Nullable UnaryOperator<Runnable> contextPropagation;

	/** One origin per {@code Class#method}, shared by every future it returns (no per-call strings or origins). */
	private final java.util.concurrent.ConcurrentHashMap<String, FutureOrigin> origins = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * Creates a dispatcher.
	 * @param defaultLoop the loop of {@code LoopFuture}s when the caller is on no loop thread
	 * @param detector where failures of {@code void} bodies and of handed-out futures go
	 * @param contextPropagation wraps each task on the calling thread, or null
	 */
	public Dispatcher(EventLoop defaultLoop, UnobservedFailureDetector detector,
			@Nullable UnaryOperator<Runnable> contextPropagation) {
		if (!(defaultLoop instanceof DefaultEventLoop eddyLoop)) {
			throw new IllegalArgumentException("'defaultLoop' must be made by EventLoop.create, was " + defaultLoop);
		}
		this.defaultLoop = eddyLoop;
		this.detector = Objects.requireNonNull(detector, "detector");
		this.contextPropagation = contextPropagation;
	}

	/**
	 * Runs {@code body} on {@code executor}.
	 * @param kind the declared return kind
	 * @param executor where the body runs
	 * @param source {@code Class#method}, for reports and messages
	 * @param body the body
	 * @return null for {@code void}, else the future
	 * @throws java.util.concurrent.RejectedExecutionException for a {@code void} method whose
	 * task the executor refused
	 */
	public @Nullable Object dispatch(ReturnKind kind, Executor executor, String source, Body body) {
		return switch (kind) {
			case VOID -> dispatchVoid(executor, source, body);
			case LOOP_FUTURE -> dispatchLoopFuture(executor, source, body);
			case COMPLETABLE_FUTURE -> dispatchCompletableFuture(executor, source, body);
		};
	}

	private @Nullable Object dispatchVoid(Executor executor, String source, Body body) {
		ExecutorHop.send(executor, new VoidHop(body, source, this.detector), this.contextPropagation);
		return null;
	}

	private LoopFuture<?> dispatchLoopFuture(Executor executor, String source, Body body) {
		DefaultEventLoop current = DefaultEventLoop.currentOrNull();
		DefaultEventLoop loop = (current != null) ? current : this.defaultLoop;
		DefaultLoopFuture<@Nullable Object> future = loop.handOffs.create(source); // reports name the method, as for a CF
		ExecutorHop.send(executor, new LoopFutureHop(body, source, loop, future), this.contextPropagation);
		return future;
	}

	private static void relayLoopFuture(String source, @Nullable Object returned, DefaultLoopFuture<@Nullable Object> future,
			DefaultEventLoop loop) {
		if (returned instanceof CompletedLoopFuture<?> completed) {
			Throwable failure = completed.peekFailure(); // observed once copied: the duty moves to the returned future (CH-8)
			loop.handOffs.complete(future, (failure == null) ? Nullness.result(completed.result()) : null, failure, completed);
		}
		else if (returned instanceof DefaultLoopFuture<?> pending) {
			Runnable chain = () -> {
				pending.addDoneCallback((done) -> {
					if (pending.loop == loop && future.done() && !done.cancelled()) {
						// The caller cancelled: the returned future keeps its duty to be observed (CH-8). Only readable
						// on this thread when both futures share a loop; across loops the copy observes as before.
						return;
					}
					Throwable failure = done.cancelled() ? new CancellationException("the returned future was cancelled")
							: done.exception();
					loop.handOffs.complete(future, (failure == null) ? done.result() : null, failure);
				});
			};
			if (!pending.loop.tryDeliver(chain)) {
				loop.handOffs.complete(future, null, new IllegalStateException(source + " returned " + pending
						+ ", whose loop is closed; return LoopFuture.completed(value) or LoopFuture.failed(exception)"));
			}
		}
		else {
			loop.handOffs.complete(future, null, new IllegalStateException(source + " returned " + returned
					+ " instead of a LoopFuture; return LoopFuture.completed(value) or LoopFuture.failed(exception)"));
		}
	}

	private CompletableFuture<?> dispatchCompletableFuture(Executor executor, String source, Body body) {
		EddyCompletableFuture<@Nullable Object> future = EddyCompletableFuture.tracked(this.origins.computeIfAbsent(source,
				(name) -> FutureOrigin.tracked(null, this.detector, name, EddyCompletableFuture.labelFor(name))));
		ExecutorHop.send(executor, new CompletableFutureHop(body, source, future), this.contextPropagation);
		return future;
	}

	@SuppressWarnings("unchecked")
	private static void relayStage(String source, @Nullable Object returned, EddyCompletableFuture<@Nullable Object> future) {
		if (returned instanceof CompletableFuture<?> done && done.isDone() && !done.isCompletedExceptionally()) {
			// The usual CompletableFuture.completedFuture(value): copy it here, without registering a dependent.
			EddyCompletableFuture.observe(done);
			future.complete(done.getNow(null));
		}
		else if (returned instanceof CompletionStage<?> stage) {
			java.util.function.BiConsumer<Object, Throwable> copy = (value, failure) -> {
				if (failure != null) {
					if (future.completeExceptionally(Throwables.unwrapPresent(failure))) {
						EddyCompletableFuture.observe(stage); // copied: the duty moves to the returned future (CH-8)
					}
				}
				else {
					future.complete(value);
				}
			};
			EddyCompletableFuture.whenCompleteWithoutObserving((CompletionStage<Object>) stage, copy);
		}
		else if (returned instanceof Future<?> plain) {
			try {
				future.complete(plain.get());
			}
			catch (ExecutionException ex) {
				future.completeExceptionally((ex.getCause() != null) ? ex.getCause() : ex);
			}
			catch (CancellationException ex) {
				future.completeExceptionally(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				future.completeExceptionally(ex);
			}
		}
		else {
			future.completeExceptionally(new IllegalStateException(source + " returned " + returned
					+ " instead of a future; return CompletableFuture.completedFuture(value) or failedFuture(exception)"));
		}
	}

	/**
	 * A {@code @RunOnExecutor} call on its way to the pool, through the one road ({@link ExecutorHop}):
	 * the body, what becomes of its outcome, and its name in a pool's logs and rejections, in one
	 * object per call (the context-propagation wrapper, when on, is applied on the calling thread).
	 */
	private abstract static class BodyHop extends ExecutorHop.Hop<@Nullable Object> {

		private final Body body;

		final String source;

		BodyHop(Body body, String source) {
			this.body = body;
			this.source = source;
		}

		@Override
		final @Nullable Object call() throws Throwable {
			return this.body.call();
		}

		@Override
		public final String toString() {
			return "@RunOnExecutor " + this.source;
		}

	}

	/** A void method: a throw is reported at once; the caller gets a refusal (D-6). */
	private static final class VoidHop extends BodyHop {

		private final UnobservedFailureDetector detector;

		VoidHop(Body body, String source, UnobservedFailureDetector detector) {
			super(body, source);
			this.detector = detector;
		}

		@Override
		public void succeeded(@Nullable Object value) {
		}

		@Override
		public void failed(Throwable failure) {
			this.detector.reportNow(failure, this.source, "void @RunOnExecutor method " + this.source);
		}

		@Override
		public void abandoned(CancellationException reason) {
			// Nothing waits for a void method; the pool counts the abandoned task.
		}

		@Override
		public void refused(Throwable failure) {
			throw Throwables.unchecked(failure); // D-6: the caller of a void method gets the rejection
		}

	}

	/** A LoopFuture method: a rejection or an abandon fails the future; a value returned is a future to relay (D-6). */
	private static final class LoopFutureHop extends BodyHop {

		private final DefaultEventLoop loop;

		private final DefaultLoopFuture<@Nullable Object> future;

		LoopFutureHop(Body body, String source, DefaultEventLoop loop, DefaultLoopFuture<@Nullable Object> future) {
			super(body, source);
			this.loop = loop;
			this.future = future;
		}

		@Override
		public void succeeded(@Nullable Object returned) {
			relayLoopFuture(this.source, returned, this.future, this.loop);
		}

		@Override
		public void failed(Throwable failure) {
			this.loop.handOffs.complete(this.future, null, failure);
		}

	}

	/** A CompletableFuture method: a rejection or an abandon fails the future; a value returned is a stage to relay (D-6). */
	private static final class CompletableFutureHop extends BodyHop {

		private final EddyCompletableFuture<@Nullable Object> future;

		CompletableFutureHop(Body body, String source, EddyCompletableFuture<@Nullable Object> future) {
			super(body, source);
			this.future = future;
		}

		@Override
		public void succeeded(@Nullable Object returned) {
			relayStage(this.source, returned, this.future);
		}

		@Override
		public void failed(Throwable failure) {
			this.future.completeExceptionally(failure);
		}

	}

}
