/**
 * Spring test support for Eddy: {@link dev.eddy.test.autoconfigure.AutoConfigureEddy} adds Eddy's
 * auto-configurations to a test slice ({@code @WebMvcTest}, {@code @WebFluxTest},
 * {@code @DataJpaTest}, ...), {@link dev.eddy.test.autoconfigure.EddyTestLoop} makes the
 * context's {@code eddyLoop} a deterministic {@link dev.eddy.test.TestLoop} current only while the
 * context's tests run.
 */
@NullMarked
package dev.eddy.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
