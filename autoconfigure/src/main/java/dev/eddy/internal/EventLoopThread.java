package dev.eddy.internal;

/**
 * The thread of a loop made by {@code EventLoop.create}; knowing its loop makes
 * {@code EventLoop.current()} a type check instead of a thread-local lookup.
 * <p>Thread-safe (immutable after construction).
 */
final class EventLoopThread extends Thread {

	final DefaultEventLoop loop;

	EventLoopThread(DefaultEventLoop loop, Runnable body, String name) {
		super(body, name);
		this.loop = loop;
	}

}
