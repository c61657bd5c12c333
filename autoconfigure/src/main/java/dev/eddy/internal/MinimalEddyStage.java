package dev.eddy.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.eddy.unobserved.UnobservedFailureDetector;
import org.jspecify.annotations.Nullable;

/**
 * What {@link EddyCompletableFuture#minimalCompletionStage()} hands out: tracked like any
 * dependent, refusing what the JDK's minimal stage refuses, its own dependents minimal too.
 * <p>Thread-safe, as {@code EddyCompletableFuture}.
 * @param <T> the result type
 */
final class MinimalEddyStage<T extends @Nullable Object> extends EddyCompletableFuture<T> {

	MinimalEddyStage(@Nullable DefaultEventLoop completingLoop, UnobservedFailureDetector detector, String source,
			String label, @Nullable Throwable creationSite) {
		super(completingLoop, detector, source, label, creationSite, null);
	}

	@Override
	public T get() {
		throw new UnsupportedOperationException();
	}

	@Override
	public T get(long timeout, TimeUnit unit) {
		throw new UnsupportedOperationException();
	}

	@Override
	public T getNow(T valueIfAbsent) {
		throw new UnsupportedOperationException();
	}

	@Override
	public T join() {
		throw new UnsupportedOperationException();
	}

	@Override
	public T resultNow() {
		throw new UnsupportedOperationException();
	}

	@Override
	public Throwable exceptionNow() {
		throw new UnsupportedOperationException();
	}

	@Override
	public boolean complete(T value) {
		throw new UnsupportedOperationException();
	}

	@Override
	public boolean completeExceptionally(Throwable ex) {
		throw new UnsupportedOperationException();
	}

	@Override
	public boolean cancel(boolean mayInterruptIfRunning) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void obtrudeValue(T value) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void obtrudeException(Throwable ex) {
		throw new UnsupportedOperationException();
	}

	@Override
	public boolean isDone() {
		throw new UnsupportedOperationException();
	}

	@Override
	public boolean isCancelled() {
		throw new UnsupportedOperationException();
	}

	@Override
	public boolean isCompletedExceptionally() {
		throw new UnsupportedOperationException();
	}

	@Override
	public int getNumberOfDependents() {
		throw new UnsupportedOperationException();
	}

	@Override
	public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
		throw new UnsupportedOperationException();
	}

	@Override
	public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
		throw new UnsupportedOperationException();
	}

	@Override
	public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
		throw new UnsupportedOperationException();
	}

	@Override
	public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
		throw new UnsupportedOperationException();
	}

	/**
	 * A complete, tracked copy: the duty moves to it.
	 * @return the copy
	 */
	@Override
	public CompletableFuture<T> toCompletableFuture() {
		return completeCopy();
	}

}
