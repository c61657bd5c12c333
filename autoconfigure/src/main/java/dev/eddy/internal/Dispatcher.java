package dev.eddy.internal;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.loop.HandOffExecutor;
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

	private static final Consumer<CancellationException> NOTHING_TO_CANCEL = (reason) -> {
	};

	private final DefaultEventLoop defaultLoop;

	private final UnobservedFailureDetector detector;

	private final @Nullable UnaryOperator<Runnable> contextPropagation;

	/** One report label per {@code Class#method}, built once. */
	private final java.util.concurrent.ConcurrentHashMap<String, String> labels = new java.util.concurrent.ConcurrentHashMap<>();

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
		submit(executor, () -> {
			try {
				body.call();
			}
			catch (Throwable ex) {
				this.detector.reportNow(ex, source, "void @RunOnExecutor method " + source);
				throw Throwables.unchecked(ex);
			}
		}, NOTHING_TO_CANCEL);
		return null;
	}

	private LoopFuture<?> dispatchLoopFuture(Executor executor, String source, Body body) {
		DefaultEventLoop current = DefaultEventLoop.currentOrNull();
		DefaultEventLoop loop = (current != null) ? current : this.defaultLoop;
		DefaultLoopFuture<@Nullable Object> future = new DefaultLoopFuture<>(loop, loop.detector.creationSite());
		loop.awaitHandOff(future);
		Runnable task = () -> {
			Object returned;
			try {
				returned = body.call();
			}
			catch (Throwable ex) {
				loop.completeHandOff(future, null, ex);
				throw Throwables.unchecked(ex);
			}
			relayLoopFuture(source, returned, future, loop);
		};
		try {
			submit(executor, task, (reason) -> loop.completeHandOff(future, null, reason));
		}
		catch (RuntimeException ex) {
			loop.completeHandOff(future, null, ex); // D-6: a rejection fails the future
		}
		return future;
	}

	private static void relayLoopFuture(String source, @Nullable Object returned, DefaultLoopFuture<@Nullable Object> future,
			DefaultEventLoop loop) {
		if (returned instanceof CompletedLoopFuture<?> completed) {
			Throwable failure = completed.exception(); // observes it: the duty moves to the returned future
			loop.completeHandOff(future, (failure == null) ? completed.result() : null, failure);
		}
		else if (returned instanceof DefaultLoopFuture<?> pending) {
			Runnable chain = () -> {
				pending.addDoneCallback((done) -> {
					Throwable failure = done.cancelled() ? new CancellationException("the returned future was cancelled")
							: done.exception();
					loop.completeHandOff(future, (failure == null) ? done.result() : null, failure);
				});
			};
			if (!pending.loop.tryDeliver(chain)) {
				loop.completeHandOff(future, null, new IllegalStateException(source + " returned " + pending
						+ ", whose loop is closed; return LoopFuture.completed(value) or LoopFuture.failed(exception)"));
			}
		}
		else {
			loop.completeHandOff(future, null, new IllegalStateException(source + " returned " + returned
					+ " instead of a LoopFuture; return LoopFuture.completed(value) or LoopFuture.failed(exception)"));
		}
	}

	private CompletableFuture<?> dispatchCompletableFuture(Executor executor, String source, Body body) {
		EddyCompletableFuture<@Nullable Object> future = EddyCompletableFuture.tracked(null, this.detector, source,
				this.labels.computeIfAbsent(source, EddyCompletableFuture::labelFor));
		CompletableFutureTask task = new CompletableFutureTask(source, body, future);
		try {
			submit(executor, task, task);
		}
		catch (RuntimeException ex) {
			future.completeExceptionally(ex); // D-6: a rejection fails the future
		}
		return future;
	}

	/** The body of a CompletableFuture-returning method, and what cancels its future if abandoned: one object per call. */
	private static final class CompletableFutureTask implements Runnable, Consumer<CancellationException> {

		private final String source;

		private final Body body;

		private final EddyCompletableFuture<@Nullable Object> future;

		CompletableFutureTask(String source, Body body, EddyCompletableFuture<@Nullable Object> future) {
			this.source = source;
			this.body = body;
			this.future = future;
		}

		@Override
		public void run() {
			Object returned;
			try {
				returned = this.body.call();
			}
			catch (Throwable ex) {
				this.future.completeExceptionally(ex);
				throw Throwables.unchecked(ex);
			}
			relayStage(this.source, returned, this.future);
		}

		@Override
		public void accept(CancellationException reason) {
			this.future.completeExceptionally(reason);
		}

		@Override
		public String toString() {
			return "@RunOnExecutor " + this.source;
		}

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
					future.completeExceptionally(Throwables.unwrapPresent(failure));
				}
				else {
					future.complete(value);
				}
			};
			EddyCompletableFuture.observe(stage); // the duty moves to the returned future
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
	 * Submits a task whose outcome is already handed on; a throw from it only tells a
	 * {@link HandOffExecutor} to count a failure. Other executors never see the throw.
	 */
	private void submit(Executor executor, Runnable task, Consumer<? super CancellationException> onAbandon) {
		UnaryOperator<Runnable> propagation = this.contextPropagation;
		Runnable decorated = (propagation != null) ? propagation.apply(task) : task;
		if (executor instanceof HandOffExecutor handOff) {
			handOff.execute(decorated, onAbandon);
		}
		else {
			executor.execute(() -> {
				try {
					decorated.run();
				}
				catch (RuntimeException | Error ex) {
					// Already delivered to the future, or reported: nothing more to do here.
				}
			});
		}
	}

}
