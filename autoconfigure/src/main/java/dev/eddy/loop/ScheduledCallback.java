package dev.eddy.loop;

/**
 * Handle of a callback scheduled with {@link EventLoop#callLater}, asyncio's
 * {@code TimerHandle}.
 * <p>Thread-safe.
 */
public interface ScheduledCallback {

	/**
	 * Cancels the callback unless it already started or was cancelled.
	 * @return whether this call prevented the callback from running
	 */
	boolean cancel();

	/**
	 * Whether the callback was cancelled, by {@link #cancel()} or by the loop's close.
	 * @return whether it will never run
	 */
	boolean cancelled();

}
