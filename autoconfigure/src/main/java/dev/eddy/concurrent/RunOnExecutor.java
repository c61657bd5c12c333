package dev.eddy.concurrent;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method on a named executor and returns a future of its outcome: Tornado's
 * {@code @run_on_executor}. On a class, applies to every public method declared in it; a
 * method's own annotation wins.
 * <p>The executor is found once per method at startup, most specific first: a field or no-arg
 * getter of type {@code Executor} with that name on the target bean (Tornado's
 * {@code self.executor}, read on every call, ROE-3), then Eddy's named executor
 * ({@code eddy.executors.<name>.*}), then an {@code Executor} bean with that name (D-8). An
 * unknown name, a {@code final} or {@code private} method, or an unsupported return type fails
 * the application at startup.
 * <p>Return types: {@code void} (a failure is reported to the unobserved-failure listeners at
 * once, since nobody can observe it); {@link LoopFuture} (bound to the caller's loop, else the
 * default loop, and completed on it one iteration after the body finished, ROE-5); or
 * {@code CompletableFuture}, {@code CompletionStage}, {@code Future} (completed on the pool
 * thread). The body returns a future of the same kind whose outcome is passed on: for
 * {@code LoopFuture}, {@link LoopFuture#completed} or {@link LoopFuture#failed}. A throw from
 * the body fails the returned future (ROE-5). Cancelling the returned future does not interrupt
 * the body (ROE-9). A returned {@code LoopFuture} is confined to its loop like any other: a
 * caller on a servlet thread reads it through {@code toCompletableFuture()} or hops onto the
 * loop with {@code loop.execute(...)}; prefer {@code CompletableFuture} for such callers.
 * <p>The advice is the outermost one, so {@code @Transactional} and friends run on the pool
 * thread. A {@code @Transactional} body that must roll back has to throw: returning
 * {@code LoopFuture.failed(e)} commits.
 * <p>Thread-safe (an annotation).
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface RunOnExecutor {

	/** Name of the default executor. */
	String DEFAULT_EXECUTOR = "executor";

	/**
	 * Alias for {@link #executor()}.
	 * @return the executor name
	 */
	String value() default "";

	/**
	 * The executor's name; when neither this nor {@link #value()} is set, {@value #DEFAULT_EXECUTOR}.
	 * Setting both to different names is a startup error.
	 * @return the executor name
	 */
	String executor() default "";

}
