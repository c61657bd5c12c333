/**
 * The AspectJ-annotation aspect that runs {@code @RunOnExecutor} methods on their named executor
 * ({@code RunOnExecutorAspect}). It is declared as a bean by the auto-configuration, not by
 * component scanning, and is active only when AspectJ is on the class path.
 */
@NullMarked
package dev.eddy.aop;

import org.jspecify.annotations.NullMarked;
