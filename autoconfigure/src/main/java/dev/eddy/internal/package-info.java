/**
 * Implementations behind the public runtime types. Not API: types here may change in any
 * release and must not be used outside Eddy. Spring-free: this package depends on nothing from
 * {@code org.springframework} or {@code io.micrometer}.
 */
@NullMarked
package dev.eddy.internal;

import org.jspecify.annotations.NullMarked;
