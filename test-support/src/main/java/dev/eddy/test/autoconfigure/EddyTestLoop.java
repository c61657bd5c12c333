package dev.eddy.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;

/**
 * Replaces the context's {@code eddyLoop} with a deterministic {@link dev.eddy.test.TestLoop}
 * owned by the thread that starts the context (JUnit's), which the test drives with
 * {@code runUntilIdle()} or {@link dev.eddy.test.EddyAwait}. The loop is current on that thread
 * only from before each test method's {@code @BeforeEach} to after its {@code @AfterEach}: while
 * Spring keeps the context cached for later, the next test class, in another context, never binds
 * its futures to it.
 * <p>Works with {@code @SpringBootTest} and with slices that have {@link AutoConfigureEddy}.
 * Tests must run on the thread that started the context (no parallel execution of classes that
 * share the context, no {@code @Timeout(threadMode = SEPARATE_THREAD)}); elsewhere the loop is not
 * bound and driving it fails naming both threads.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Import(EddyTestLoopConfiguration.class)
public @interface EddyTestLoop {

}
