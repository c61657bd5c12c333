package dev.eddy.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails each test in which a failed future was dropped without anyone observing its failure.
 * At the end of every test the garbage collector is run until the detectors settle (at most
 * {@link #collectTimeoutMillis()}), and every unobserved failure reported meanwhile fails the test
 * with its exception, its source and the future's description. A failure that can never be
 * observed (a {@code void @RunOnExecutor} method that threw) fails it too.
 * <p>Watched: the global detector (loops built without one, {@code LoopFuture.failed(...)} off a
 * loop), the detector of every Spring test context Eddy's test support runs in, and any detector
 * handed to {@link UnobservedFailuresExtension#watch}.
 * <p>Reports of failures dropped before the test began are collected first and not charged to
 * it. Tests that run in parallel share the detectors: a report is charged to every test running
 * when it arrives.
 */
@Target({ ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(UnobservedFailuresExtension.class)
public @interface FailOnUnobservedFailures {

	/**
	 * Most time spent collecting garbage at the end of a test, in milliseconds; when the
	 * detectors have not settled by then, the test is judged on what was reported. Default 5000.
	 * @return the bound, positive
	 */
	long collectTimeoutMillis() default 5_000;

}
