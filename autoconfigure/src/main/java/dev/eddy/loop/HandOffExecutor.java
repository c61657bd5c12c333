package dev.eddy.loop;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * An executor that is told which future a task completes, so that it never leaves that future
 * pending: if it shuts down before the task completed, it calls {@code onAbandon} once with a
 * {@link CancellationException} saying why, and the caller cancels the future with it.
 * <p>For such a task a throw is not a loss: the task has handed its outcome to its future first,
 * and throws only so that the executor can count a failure. {@link EventLoop#runInExecutor} and
 * {@code @RunOnExecutor} use this method whenever the executor implements this interface;
 * {@code dev.eddy.executor.NamedExecutor} does.
 * <p>Implementations must be thread-safe.
 */
public interface HandOffExecutor extends Executor {

	/**
	 * Runs a task that completes a future. An exception thrown by {@code task} is counted as a
	 * failure and not logged: the task passed it to its future first. If this executor shuts down
	 * before the task completed, {@code onAbandon} is called once with a
	 * {@link CancellationException} saying so, and should cancel the future.
	 * @param task the task
	 * @param onAbandon cancels the task's future
	 * @throws java.util.concurrent.RejectedExecutionException when the executor refuses the task;
	 * {@code onAbandon} is then not called
	 */
	void execute(Runnable task, Consumer<? super CancellationException> onAbandon);

}
