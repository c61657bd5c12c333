/**
 * Detection of failures that nobody looked at: a future that failed and was discarded without
 * its exception being retrieved is reported (asyncio's "Future exception was never retrieved")
 * through the {@code UnobservedFailureListener} SPI. Spring-free: this package depends on nothing
 * from {@code org.springframework} or {@code io.micrometer}.
 */
@NullMarked
package dev.eddy.unobserved;

import org.jspecify.annotations.NullMarked;
