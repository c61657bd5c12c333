package dev.eddy.concurrent;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.eddy.internal.DefaultFutures;
import dev.eddy.loop.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * The functions of Tornado's {@code tornado.concurrent} module, for {@link LoopFuture}s and
 * {@link CompletableFuture}s (Java's {@code concurrent.futures.Future}). In Spring, an instance
 * is a bean made from the default loop.
 * <p>Where a function needs a loop and the caller is on no loop thread, it uses the
 * {@linkplain #defaultLoop() default loop} (deviations D-4, D-7).
 * <p>Thread-safe; methods that touch a {@link LoopFuture} must be called on that future's loop
 * thread, as the future's own methods must.
 *
 * <table>
 * <caption>Tornado to Eddy</caption>
 * <tr><th>Tornado</th><th>Eddy</th></tr>
 * <tr><td>{@code chain_future(a, b)}</td><td>{@link #chain(LoopFuture, LoopFuture) chain(a, b)}</td></tr>
 * <tr><td>{@code future_set_result_unless_cancelled}</td><td>{@link #setResultUnlessCancelled(LoopFuture, Object)}</td></tr>
 * <tr><td>{@code future_set_exception_unless_cancelled}</td><td>{@link #setExceptionUnlessCancelled(LoopFuture, Throwable)}</td></tr>
 * <tr><td>{@code future_set_exc_info}</td><td>{@link #setExcInfo(LoopFuture, ExcInfo)}</td></tr>
 * <tr><td>{@code future_add_done_callback}</td><td>{@link #addDoneCallback(LoopFuture, Consumer)}</td></tr>
 * <tr><td>4.4.3 {@code return_future}</td><td>{@link #fromCallback(Consumer)}</td></tr>
 * <tr><td>{@code IOLoop.run_in_executor}</td><td>{@link #runInExecutor(Executor, Callable)}</td></tr>
 * </table>
 */
public final class Futures {

	/** Logger of "Exception after Future was cancelled" (FSE-2, FSX-3). */
	public static final String LOGGER_NAME = DefaultFutures.LOGGER_NAME;

	private final DefaultFutures functions;

	private Futures(EventLoop defaultLoop) {
		this.functions = new DefaultFutures(defaultLoop);
	}

	/**
	 * The functions, with {@code defaultLoop} for callers on no loop thread.
	 * @param defaultLoop the default loop
	 * @return the functions
	 */
	public static Futures of(EventLoop defaultLoop) {
		return new Futures(defaultLoop);
	}

	/** @return the loop used when the caller is on no loop thread */
	public EventLoop defaultLoop() {
		return this.functions.defaultLoop();
	}

	/**
	 * Copies the outcome of {@code source} into {@code target} once {@code source} is done,
	 * unless {@code target} is done by then (CH-1, CH-5). Inline if {@code source} is already
	 * done, else one loop iteration after it completes (CH-2). A cancelled source cancels the
	 * target (deviation D-1); cancelling the target never touches the source (CH-6). The copy
	 * observes the source's failure and hands the duty to the target (CH-8). One source may feed
	 * several targets (CH-10). Call on the source's loop thread; a target on another loop is
	 * completed on its own loop (D-7).
	 * @param <T> the result type
	 * @param source the future to copy from
	 * @param target the future to complete
	 */
	public <T extends @Nullable Object> void chain(LoopFuture<? extends T> source, LoopFuture<? super T> target) {
		this.functions.chain(source, target);
	}

	/**
	 * As {@link #chain(LoopFuture, LoopFuture)}, into a {@code CompletableFuture}, which is
	 * completed on the source's loop thread, so its dependents run there (CH-9).
	 * @param <T> the result type
	 * @param source the future to copy from
	 * @param target the future to complete
	 */
	public <T extends @Nullable Object> void chain(LoopFuture<? extends T> source, CompletableFuture<? super T> target) {
		this.functions.chain(source, target);
	}

	/**
	 * Copies a stage's outcome into a {@code LoopFuture}, always on the target's loop in a later
	 * iteration, whichever thread completes the stage (CH-3, D-7). The target receives the
	 * original exception, unwrapped from one {@code CompletionException} (CH-4). If the loop
	 * closes first, the target is cancelled with a message. Thread-safe.
	 * @param <T> the result type
	 * @param source the stage to copy from
	 * @param target the future to complete
	 */
	public <T extends @Nullable Object> void chain(CompletionStage<? extends T> source, LoopFuture<? super T> target) {
		this.functions.chain(source, target);
	}

	/**
	 * Copies a stage's outcome into a {@code CompletableFuture} through the calling thread's loop,
	 * else the default loop, in a later iteration (CH-3, D-7). Thread-safe.
	 * @param <T> the result type
	 * @param source the stage to copy from
	 * @param target the future to complete
	 */
	public <T extends @Nullable Object> void chain(CompletionStage<? extends T> source,
			CompletableFuture<? super T> target) {
		this.functions.chain(source, target);
	}

	/**
	 * Sets the result unless the future was cancelled, which is a silent no-op (FSR-1, FSR-2).
	 * @param <T> the result type
	 * @param future the future
	 * @param value the result
	 * @throws InvalidStateException if the future already has an outcome (FSR-3)
	 */
	public <T extends @Nullable Object> void setResultUnlessCancelled(LoopFuture<? super T> future, T value) {
		this.functions.setResultUnlessCancelled(future, value);
	}

	/**
	 * As {@link #setResultUnlessCancelled(LoopFuture, Object)}, for a {@code CompletableFuture}
	 * (FSR-4). Thread-safe.
	 * @param <T> the result type
	 * @param future the future
	 * @param value the result
	 * @throws InvalidStateException if the future is already completed, not cancelled
	 */
	public <T extends @Nullable Object> void setResultUnlessCancelled(CompletableFuture<? super T> future, T value) {
		this.functions.setResultUnlessCancelled(future, value);
	}

	/**
	 * Sets the exception unless the future was cancelled; then logs "Exception after Future was
	 * cancelled" at ERROR on {@value #LOGGER_NAME} with the exception (FSE-1, FSE-2).
	 * @param future the future
	 * @param exception the exception
	 * @throws InvalidStateException if the future already has an outcome (FSE-3)
	 */
	public void setExceptionUnlessCancelled(LoopFuture<?> future, Throwable exception) {
		this.functions.setExceptionUnlessCancelled(future, exception);
	}

	/**
	 * As {@link #setExceptionUnlessCancelled(LoopFuture, Throwable)}, for a
	 * {@code CompletableFuture}. Thread-safe.
	 * @param future the future
	 * @param exception the exception
	 */
	public void setExceptionUnlessCancelled(CompletableFuture<?> future, Throwable exception) {
		this.functions.setExceptionUnlessCancelled(future, exception);
	}

	/**
	 * Tornado's {@code future_set_exc_info}: {@code setExceptionUnlessCancelled(future,
	 * excInfo.value())}; only the value is used (FSX-2) and a cancelled future logs (FSX-3).
	 * @param future the future
	 * @param excInfo the exc_info
	 * @throws IllegalArgumentException "setExcInfo called with no exception" when the value is
	 * null, before anything else (FSX-1)
	 */
	public void setExcInfo(LoopFuture<?> future, ExcInfo excInfo) {
		this.functions.setExcInfo(future, excInfo);
	}

	/**
	 * As {@link #setExcInfo(LoopFuture, ExcInfo)}, for a {@code CompletableFuture}. Thread-safe.
	 * @param future the future
	 * @param excInfo the exc_info
	 */
	public void setExcInfo(CompletableFuture<?> future, ExcInfo excInfo) {
		this.functions.setExcInfo(future, excInfo);
	}

	/**
	 * Calls {@code callback} at once when the future is done, cancelled included, so an exception
	 * from it propagates to this caller; else registers it as a done-callback (FADC-1, FADC-2).
	 * @param <T> the result type
	 * @param future the future
	 * @param callback the callback
	 */
	public <T extends @Nullable Object> void addDoneCallback(LoopFuture<T> future,
			Consumer<? super LoopFuture<T>> callback) {
		this.functions.addDoneCallback(future, callback);
	}

	/**
	 * Calls {@code callback} at once when the future is done; else on the thread that completes it
	 * (FADC-3), where an exception from it is logged and does not stop other callbacks. Does not
	 * count as observing a failure (GC-5). Thread-safe.
	 * @param <T> the result type
	 * @param future the future
	 * @param callback the callback
	 */
	public <T extends @Nullable Object> void addDoneCallback(CompletableFuture<T> future,
			Consumer<? super CompletableFuture<T>> callback) {
		this.functions.addDoneCallback(future, callback);
	}

	/**
	 * Tornado 4.4.3 {@code return_future}: turns a callback-taking API into a future. Calls
	 * {@code start} at once, on the calling thread, with a callback that completes the returned
	 * future; the future lives on the calling thread's loop, else the default loop.
	 * <ul>
	 * <li>A callback called on that loop's thread completes the future at once, so a
	 * synchronous call returns a done future (RF-3); from any other thread the value hops to the
	 * loop.</li>
	 * <li>A second call of the callback is ignored with a warning.</li>
	 * <li>An exception thrown by {@code start} is rethrown to this caller (RF-6); the future is
	 * failed and observed, never left pending.</li>
	 * <li>A callback that is never called leaves the future pending until the loop closes, which
	 * cancels it: use {@link #fromCallback(Consumer, Duration)} to bound the wait.</li>
	 * </ul>
	 * @param <T> the result type
	 * @param start starts the operation and eventually calls the callback once with the result
	 * @return the future
	 */
	public <T extends @Nullable Object> LoopFuture<T> fromCallback(Consumer<? super Consumer<? super T>> start) {
		return this.functions.fromCallback(start, null);
	}

	/**
	 * As {@link #fromCallback(Consumer)}, and the future fails with a
	 * {@link java.util.concurrent.TimeoutException} if the callback is not called within
	 * {@code timeout}.
	 * @param <T> the result type
	 * @param start starts the operation
	 * @param timeout a positive duration
	 * @return the future
	 */
	public <T extends @Nullable Object> LoopFuture<T> fromCallback(Consumer<? super Consumer<? super T>> start,
			Duration timeout) {
		return this.functions.fromCallback(start, java.util.Objects.requireNonNull(timeout, "timeout"));
	}

	/**
	 * As {@link #fromCallback(Consumer)}, with an error path: {@code start} gets a second
	 * consumer, and handing it an exception fails the future. This is what Tornado 4's
	 * {@code return_future} did through its stack context when work that {@code f} scheduled
	 * raised later (RF-8); Java has no stack context, so the operation reports its failure. The
	 * first of the two consumers to be called settles the future; later calls of either are
	 * ignored with a (rate-limited) warning.
	 * @param <T> the result type
	 * @param start starts the operation and eventually calls one of the consumers once
	 * @return the future
	 */
	public <T extends @Nullable Object> LoopFuture<T> fromCallbacks(
			BiConsumer<? super Consumer<? super T>, ? super Consumer<? super Throwable>> start) {
		return this.functions.fromCallbacks(start, null);
	}

	/**
	 * As {@link #fromCallbacks(BiConsumer)}, and the future fails with a
	 * {@link java.util.concurrent.TimeoutException} if neither consumer is called within
	 * {@code timeout}.
	 * @param <T> the result type
	 * @param start starts the operation
	 * @param timeout a positive duration
	 * @return the future
	 */
	public <T extends @Nullable Object> LoopFuture<T> fromCallbacks(
			BiConsumer<? super Consumer<? super T>, ? super Consumer<? super Throwable>> start, Duration timeout) {
		return this.functions.fromCallbacks(start, java.util.Objects.requireNonNull(timeout, "timeout"));
	}

	/**
	 * Tornado's {@code IOLoop.run_in_executor} on the calling thread's loop, else the default
	 * loop: see {@link EventLoop#runInExecutor}.
	 * @param <T> the result type
	 * @param executor where the task runs
	 * @param task the task
	 * @return a future of that loop
	 */
	public <T extends @Nullable Object> LoopFuture<T> runInExecutor(Executor executor, Callable<? extends T> task) {
		return this.functions.currentOrDefaultLoop().runInExecutor(executor, task);
	}

	/**
	 * {@link CompletableFuture#allOf} that counts as observing every input, so that failures
	 * carried on by the returned future are not also reported for the inputs.
	 * @param futures the inputs
	 * @return a future completed when all are, failed if one failed
	 */
	public CompletableFuture<@Nullable Void> allOf(CompletableFuture<?>... futures) {
		return this.functions.allOf(futures);
	}

	@Override
	public String toString() {
		return "Futures[defaultLoop=" + defaultLoop().name() + "]";
	}

}
