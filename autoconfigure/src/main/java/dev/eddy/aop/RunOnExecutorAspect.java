package dev.eddy.aop;

import dev.eddy.internal.Dispatcher;
import org.aopalliance.intercept.MethodInvocation;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.interceptor.ExposeInvocationInterceptor;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.Ordered;

/**
 * Runs {@code @RunOnExecutor} methods on their executors (Tornado's {@code run_on_executor}).
 * <p>Order: {@link #ORDER}, right after Spring's {@code ExposeInvocationInterceptor} (which is
 * {@code HIGHEST_PRECEDENCE + 1}), so it is the outermost advice: {@code @Transactional},
 * {@code @Retryable}, security and other advice run inside it, on the pool thread, as with
 * {@code @Async}. The advice binds nothing from the join point (binding at this order fails with
 * "JoinPointMatch was NOT bound"); the annotation is read once per method by
 * {@link RunOnExecutorMethods}. The pointcut uses only {@code execution} patterns, which Spring
 * matches once per method; {@code @within}/{@code @annotation} would be tested on every call (a
 * join-point match and a map per call, about half of the advice's allocation). On the pool thread the rest of the chain runs with the method
 * invocation exposed again, so that inner AspectJ advice works there.
 * <p>Declared as a bean by Eddy's auto-configuration, not scanned. Thread-safe.
 */
@Aspect
public class RunOnExecutorAspect implements Ordered {

	/** Right after {@code ExposeInvocationInterceptor}; a lower value would run before it. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

	private final RunOnExecutorMethods methods;

	private final Dispatcher dispatcher;

	/**
	 * Creates the aspect.
	 * @param methods resolves each method's plan
	 * @param dispatcher runs bodies and completes futures
	 */
	public RunOnExecutorAspect(RunOnExecutorMethods methods, Dispatcher dispatcher) {
		this.methods = methods;
		this.dispatcher = dispatcher;
	}

	/**
	 * The advice.
	 * @param joinPoint the call
	 * @return the future, or null for {@code void}
	 * @throws Throwable what a method that is not {@code @RunOnExecutor} throws, or a rejection of
	 * a {@code void} method (D-6)
	 */
	@Around("execution(@dev.eddy.concurrent.RunOnExecutor * *(..)) || execution(* (@dev.eddy.concurrent.RunOnExecutor *).*(..))")
	public @Nullable Object runOnExecutor(ProceedingJoinPoint joinPoint) throws Throwable {
		// The invocation, not the join point: it gives method and target without allocating.
		MethodInvocation invocation = ExposeInvocationInterceptor.currentInvocation();
		Object target = invocation.getThis();
		if (target == null) {
			return joinPoint.proceed();
		}
		RunOnExecutorMethods.Plan plan = this.methods.planFor(AopUtils.getTargetClass(target), invocation.getMethod());
		if (plan == null) {
			return joinPoint.proceed();
		}
		// Like Spring's AsyncExecutionInterceptor, the pool thread proceeds with this very invocation: the calling
		// thread only unwinds after this returns and never proceeds with it again, so no clone is needed.
		return this.dispatcher.dispatch(plan.kind(), plan.executorOf().apply(target), plan.source(),
				() -> ExposeInvocationInterceptor.INSTANCE.invoke(invocation));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public String toString() {
		return "RunOnExecutorAspect";
	}

}
