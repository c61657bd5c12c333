package dev.eddy.internal;

/**
 * A task queued on a loop that can still be honoured, or failed cleanly, when the loop turns out
 * to be closed before it ran: whichever thread finds it left over calls
 * {@link #rejectedByClosedLoop()} instead of dropping it. {@link #orElse} makes one from new work
 * and its fallback ({@code submit}, {@code runSync} and {@code toCompletableFuture} queue such
 * tasks); a timer insertion is another (its fallback cancels the timer).
 * <p>Implementations are called once, on any thread.
 */
interface Rejectable {

	/** The loop closed before it could run this task; called on whichever thread found it. */
	void rejectedByClosedLoop();

	/**
	 * New work with what to do instead if the loop turns out to be closed; counted as rejected
	 * when that happens.
	 * @param task what to run on the loop
	 * @param onRejected what to do when the loop refuses it
	 * @return the combined task
	 */
	static Runnable orElse(Runnable task, Runnable onRejected) {
		return new Fallback(task, onRejected);
	}

	/** New work and its fallback. */
	record Fallback(Runnable task, Runnable onRejected) implements Runnable, Rejectable {

		@Override
		public void run() {
			this.task.run();
		}

		@Override
		public void rejectedByClosedLoop() {
			this.onRejected.run();
		}

		@Override
		public String toString() {
			return this.task.toString();
		}

	}

}
