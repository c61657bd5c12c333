package dev.eddy.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Adds Eddy's auto-configurations to a test slice, which otherwise leaves them out: the loop
 * ({@code eddyLoop}), the detector, {@code Futures}, the named executors, the
 * {@code @RunOnExecutor} aspect (with Spring's AOP auto-configuration, which slices leave out too),
 * and the metrics, health and endpoint beans where their conditions hold.
 * <pre>{@code
 * @WebMvcTest(PriceController.class)
 * @AutoConfigureEddy
 * @Import(PriceService.class)          // the slice scans controllers only
 * class PriceControllerTests { ... }
 * }</pre>
 * The list is {@code META-INF/spring/dev.eddy.test.autoconfigure.AutoConfigureEddy.imports}.
 * {@code @SpringBootTest} needs no such annotation: it has every auto-configuration already.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureEddy {

}
