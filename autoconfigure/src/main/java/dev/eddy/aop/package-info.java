/**
 * The Spring AOP advisor that runs {@code @RunOnExecutor} methods on their named executor
 * ({@code RunOnExecutorAspect}, a {@code MethodInterceptor} with a static pointcut, as
 * {@code @Async}'s advisor is), the per-method plans it follows, and the startup checks. It is
 * declared as a bean by the auto-configuration, not by component scanning, and is active only
 * when AspectJ is on the class path (Boot's AOP auto-configuration then registers the auto-proxy
 * creator that applies it).
 */
@NullMarked
package dev.eddy.aop;

import org.jspecify.annotations.NullMarked;
