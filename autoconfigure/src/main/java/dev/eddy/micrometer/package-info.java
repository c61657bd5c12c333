/**
 * Micrometer integration: the meter binders for loops, executors and unobserved failures, and
 * the constants that name Eddy's meters (all under the {@code eddy.} prefix). Active only when
 * Micrometer is on the class path.
 */
@NullMarked
package dev.eddy.micrometer;

import org.jspecify.annotations.NullMarked;
