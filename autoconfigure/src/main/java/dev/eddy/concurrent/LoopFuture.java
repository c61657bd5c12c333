package dev.eddy.concurrent;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import dev.eddy.internal.CompletedLoopFuture;
import dev.eddy.loop.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of work that is not done yet, bound to one {@link EventLoop}: Tornado 6's
 * {@code Future} (which is {@code asyncio.Future}), plus the Tornado 4.4.3 extras
 * {@link #running()}, {@link #excInfo()} and {@link #setExcInfo(ExcInfo)}.
 * <p>Like Tornado's, it is not thread-safe, which is what makes it fast: <b>loop-confined: call
 * it only on the owning loop's thread.</b> Every method except {@link #loop()},
 * {@link #toCompletableFuture()}, {@link #toString()}, {@code equals} and {@code hashCode}
 * throws {@link IllegalStateException} when called from another thread; hop onto the loop with
 * {@code loop.execute(...)} or use {@link #toCompletableFuture()}. The futures made by
 * {@link #completed} and {@link #failed} are immutable and thread-safe.
 * <p>Done-callbacks are never run inline: completing a future, or adding a callback to one that
 * is done, schedules the callbacks on the loop, in registration order (CB-1, CB-3).
 * <p>A failure that nobody observes ({@link #result()}, {@link #exception()},
 * {@link #excInfo()} or {@link #cancel()}) is reported when the future is garbage-collected
 * ("Future exception was never retrieved", GC-1..GC-6).
 * <p>Not meant to be implemented outside Eddy.
 *
 * @param <T> the result type; {@code null} is a valid result
 */
public interface LoopFuture<T extends @Nullable Object> {

	/**
	 * An immutable, thread-safe future that is already done with {@code value}: the counterpart
	 * of {@link CompletableFuture#completedFuture}, for {@code @RunOnExecutor} bodies that run
	 * where no loop is current.
	 * @param <T> the result type
	 * @param value the result, may be {@code null}
	 * @return a done future
	 */
	static <T extends @Nullable Object> LoopFuture<T> completed(T value) {
		return CompletedLoopFuture.success(value);
	}

	/**
	 * An immutable, thread-safe future that is already done with {@code exception}. Like any
	 * failure it is reported if nobody observes it.
	 * @param <T> the result type
	 * @param exception the failure
	 * @return a failed future
	 */
	static <T extends @Nullable Object> LoopFuture<T> failed(Throwable exception) {
		return CompletedLoopFuture.failure(exception);
	}

	/**
	 * The loop this future is bound to (asyncio {@code get_loop()}). For {@link #completed} and
	 * {@link #failed} futures, the calling thread's loop.
	 * @return the loop
	 * @throws IllegalStateException for a completed/failed future called off every loop thread
	 */
	EventLoop loop();

	/** @return whether the future has a result, an exception, or was cancelled (does not observe, GC-5) */
	boolean done();

	/** @return whether the future was cancelled (does not observe, GC-5) */
	boolean cancelled();

	/** @return Tornado 4.4.3 {@code running()}: simply {@code !done()} (T4-2) */
	boolean running();

	/**
	 * The result. Never blocks.
	 * @return the result, possibly {@code null}
	 * @throws InvalidStateException while pending (AF-2)
	 * @throws CancellationException if cancelled, carrying the cancel message (AF-8, AF-9)
	 * @throws RuntimeException the very exception the future failed with, or an {@link Error};
	 * a checked exception is wrapped once in a {@link CompletionException}, the same wrapper on
	 * every call (AF-5, deviation D-3)
	 */
	T result();

	/**
	 * The exception the future failed with, the same object that was set (AF-5).
	 * @return the exception, or {@code null} after a result (AF-4)
	 * @throws InvalidStateException while pending (AF-2)
	 * @throws CancellationException if cancelled (AF-8)
	 */
	@Nullable Throwable exception();

	/**
	 * Tornado 4.4.3 {@code exc_info()}: the {@link ExcInfo} given to {@link #setExcInfo} (the
	 * same object, T4-8), or one made from the exception.
	 * @return the exc_info, or {@code null} while pending and after a result (T4-2)
	 * @throws CancellationException if cancelled
	 */
	@Nullable ExcInfo excInfo();

	/**
	 * Calls {@code callback} with this future once it is done, on the loop in a later iteration,
	 * never inline, also when it is already done (CB-1, CB-3). Registering the same callback
	 * twice runs it twice (CB-6). An exception from the callback is logged and counted and the
	 * other callbacks still run (CB-9).
	 * @param callback the callback
	 */
	void addDoneCallback(Consumer<? super LoopFuture<T>> callback);

	/**
	 * Removes every registration equal to {@code callback} (CB-7). Once the future is done its
	 * callbacks are already scheduled and this returns 0 (CB-8). Note that every {@code this::m}
	 * expression makes a new object: keep the reference you registered.
	 * @param callback the callback to remove
	 * @return how many registrations were removed
	 */
	int removeDoneCallback(Consumer<? super LoopFuture<T>> callback);

	/**
	 * Completes the future with a result, which may be {@code null} (AF-4), and schedules its
	 * callbacks.
	 * @param value the result
	 * @throws InvalidStateException if the future is already done; the first outcome stays (AF-7)
	 * @throws dev.eddy.loop.EventLoopClosedException if the loop is closed and callbacks are
	 * waiting; the future is completed all the same (CB-10)
	 */
	void setResult(T value);

	/**
	 * Completes the future with an exception and schedules its callbacks.
	 * @param exception the failure, not {@code null}
	 * @throws InvalidStateException if the future is already done; the first outcome stays (AF-7)
	 * @throws dev.eddy.loop.EventLoopClosedException if the loop is closed and callbacks are
	 * waiting; the future is completed all the same (CB-10)
	 */
	void setException(Throwable exception);

	/**
	 * Tornado 4.4.3 {@code set_exc_info}: completes the future with {@code excInfo.value()} and
	 * keeps {@code excInfo} itself for {@link #excInfo()} (T4-8).
	 * @param excInfo the exc_info; its value must not be {@code null}
	 * @throws IllegalArgumentException if {@code excInfo.value()} is {@code null}
	 * @throws InvalidStateException if the future is already done
	 */
	void setExcInfo(ExcInfo excInfo);

	/**
	 * Cancels the future if it is pending (AF-8). Also marks a failure as observed, even when
	 * the future is already done and nothing else changes (GC-4).
	 * @return whether the future was pending and is now cancelled
	 * @throws dev.eddy.loop.EventLoopClosedException if the loop is closed and callbacks are
	 * waiting; the future is cancelled all the same (CB-10)
	 */
	boolean cancel();

	/**
	 * Cancels the future with a message that the {@link CancellationException} thrown by
	 * {@link #result()} carries (AF-9).
	 * @param message the message, or {@code null}
	 * @return whether the future was pending and is now cancelled
	 */
	boolean cancel(@Nullable String message);

	/**
	 * A thread-safe view of this future, completed from the loop. Each call returns a new view.
	 * Cancelling the view does not cancel this future. Its blocking {@code get}/{@code join}
	 * throw {@link IllegalStateException} on this future's loop thread while incomplete, instead
	 * of deadlocking. The view takes over the duty to observe a failure.
	 * @return the view
	 */
	CompletableFuture<T> toCompletableFuture();

}
