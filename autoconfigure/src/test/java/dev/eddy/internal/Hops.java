package dev.eddy.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/** Test support: sends a piece of work with a separate delivery through {@link ExecutorHop}'s one road. */
final class Hops {

	private Hops() {
	}

	/** The work; may throw anything. */
	@FunctionalInterface
	interface Work<T> {

		@Nullable T call() throws Throwable;

	}

	static <T> void send(Executor executor, Work<? extends T> work, ExecutorHop.Delivery<? super T> delivery,
			@Nullable UnaryOperator<Runnable> decoration, Object describedAs) {
		ExecutorHop.send(executor, new ExecutorHop.Hop<T>() {

			@Override
			@Nullable T call() throws Throwable {
				return work.call();
			}

			@Override
			public void succeeded(@Nullable T value) {
				delivery.succeeded(value);
			}

			@Override
			public void failed(Throwable failure) {
				delivery.failed(failure);
			}

			@Override
			public void abandoned(CancellationException reason) {
				delivery.abandoned(reason);
			}

			@Override
			public void refused(Throwable failure) {
				delivery.refused(failure);
			}

			@Override
			public String toString() {
				return Describe.value(describedAs);
			}

		}, decoration);
	}

}
