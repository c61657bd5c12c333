package dev.eddy.aop;

import java.lang.reflect.Method;
import java.util.Objects;
import java.util.function.Supplier;

import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.internal.Dispatcher;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.MethodMatcher;
import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.interceptor.ExposeInvocationInterceptor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcher;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs {@code @RunOnExecutor} methods on their executors (Tornado's {@code run_on_executor}).
 * <p>A Spring AOP advisor whose advice is a plain {@link MethodInterceptor}, as Spring's
 * {@code @Async} is ({@code AsyncAnnotationAdvisor}), applied by Boot's auto-proxy creator like
 * any {@code Advisor} bean. It was an AspectJ {@code @Around} aspect; that path built a
 * {@code ProceedingJoinPoint} and an argument array and invoked the advice method reflectively on
 * every call (measured: 80 B/op more than {@code @Async} on a same-thread executor, see
 * {@code DispatchBenchmark}). The pointcut is static: it matches, once per method of each bean
 * class (Spring caches the chain per method), the methods {@link RunOnExecutorMethods#checkDeclaration}
 * names, the same rule the plan and the startup check use (a method annotated, or a public method
 * of an annotated class, the annotation found on the class, its superclasses or interfaces). Per
 * call the interceptor reads the method's plan from {@link RunOnExecutorMethods}' per-class,
 * per-method cache and allocates only the body it hands to the dispatcher.
 * <p>Order: {@link #ORDER}, right after Spring's {@code ExposeInvocationInterceptor} (which is
 * {@code HIGHEST_PRECEDENCE + 1} and is added first to every chain holding AspectJ advice), so it
 * is the outermost advice: {@code @Transactional}, {@code @Retryable}, security and other advice
 * run inside it, on the pool thread, as with {@code @Async}. On the pool thread the rest of the
 * chain runs with the method invocation exposed, so that inner AspectJ advice works there.
 * <p>The advisor is created early, when the auto-proxy creator first looks for advisors, so it is
 * declared with the infrastructure role and resolves the dispatcher and the plans lazily, on the
 * first use (at the latest when every singleton exists): nothing it depends on is created before
 * the bean post-processors are in place. An application that declares its own instead should do the same (a
 * {@code static @Bean} with {@code @Role(ROLE_INFRASTRUCTURE)} and the supplier constructor), or
 * Spring warns that the beans it depends on are "not eligible for getting processed by all
 * BeanPostProcessors".
 * <p>Declared as a bean by Eddy's auto-configuration, not scanned. Thread-safe.
 */
public class RunOnExecutorAspect implements PointcutAdvisor, MethodInterceptor, Ordered, SmartInitializingSingleton {

	/** Right after {@code ExposeInvocationInterceptor}; a lower value would run before it. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

	private static final Pointcut POINTCUT = new RunOnExecutorPointcut();

	private final Supplier<RunOnExecutorMethods> methods;

	private final Supplier<Dispatcher> dispatcher;

	/**
	 * Creates the advisor.
	 * @param methods resolves each method's plan
	 * @param dispatcher runs bodies and completes futures
	 */
	public RunOnExecutorAspect(RunOnExecutorMethods methods, Dispatcher dispatcher) {
		Objects.requireNonNull(methods, "methods");
		Objects.requireNonNull(dispatcher, "dispatcher");
		this.methods = () -> methods;
		this.dispatcher = () -> dispatcher;
	}

	/**
	 * Creates the advisor with its collaborators resolved on the first call (each supplier is
	 * called at most once).
	 * @param methods supplies the plans
	 * @param dispatcher supplies the dispatcher
	 */
	public RunOnExecutorAspect(Supplier<RunOnExecutorMethods> methods, Supplier<Dispatcher> dispatcher) {
		this.methods = SingletonSupplier.of(Objects.requireNonNull(methods, "methods"));
		this.dispatcher = SingletonSupplier.of(Objects.requireNonNull(dispatcher, "dispatcher"));
	}

	/**
	 * The advice.
	 * @param invocation the call
	 * @return the future, or null for {@code void}
	 * @throws Throwable what a method that is not {@code @RunOnExecutor} throws, or a rejection of
	 * a {@code void} method (D-6)
	 */
	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		if (target == null) {
			return invocation.proceed();
		}
		RunOnExecutorMethods.Plan plan = this.methods.get().planFor(AopUtils.getTargetClass(target), invocation.getMethod());
		if (plan == null) {
			return invocation.proceed();
		}
		// Like Spring's AsyncExecutionInterceptor, the pool thread proceeds with this very invocation: the calling
		// thread only unwinds after this returns and never proceeds with it again, so no clone is needed.
		return this.dispatcher.get().dispatch(plan.kind(), plan.executorOf().apply(target), plan.source(),
				() -> ExposeInvocationInterceptor.INSTANCE.invoke(invocation));
	}

	/** Resolves the collaborators once every singleton exists, so that a misconfiguration fails startup, not a call. */
	@Override
	public void afterSingletonsInstantiated() {
		Objects.requireNonNull(this.methods.get(), "methods");
		Objects.requireNonNull(this.dispatcher.get(), "dispatcher");
	}

	@Override
	public Pointcut getPointcut() {
		return POINTCUT;
	}

	@Override
	public Advice getAdvice() {
		return this;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public String toString() {
		return "RunOnExecutorAspect";
	}

	/**
	 * Matches what {@link RunOnExecutorMethods#checkDeclaration} calls {@code @RunOnExecutor};
	 * evaluated once per method and bean class, never per call.
	 */
	private static final class RunOnExecutorPointcut extends StaticMethodMatcher implements Pointcut, ClassFilter {

		@Override
		public boolean matches(Class<?> type) {
			return AnnotationUtils.isCandidateClass(type, RunOnExecutor.class);
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return RunOnExecutorMethods.checkDeclaration(targetClass, method) != null;
		}

		@Override
		public ClassFilter getClassFilter() {
			return this;
		}

		@Override
		public MethodMatcher getMethodMatcher() {
			return this;
		}

		@Override
		public String toString() {
			return "@RunOnExecutor methods";
		}

	}

}
