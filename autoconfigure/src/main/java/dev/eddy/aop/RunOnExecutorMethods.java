package dev.eddy.aop;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.internal.Dispatcher.ReturnKind;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Finds, validates and remembers how each {@code @RunOnExecutor} method runs: its return kind
 * and where its executor comes from, resolved once per method, most specific first (DESIGN §3,
 * D-8): a field or no-arg getter of type {@code Executor} with that name on the target (read on
 * every call, ROE-3), then Eddy's named executor, then an {@code Executor} bean with that name.
 * <p>Thread-safe.
 */
public final class RunOnExecutorMethods {

	private final BeanFactory beanFactory;

	private final ClassValue<Map<Method, Optional<Plan>>> plans = new ClassValue<>() {

		@Override
		protected Map<Method, Optional<Plan>> computeValue(Class<?> type) {
			return new ConcurrentHashMap<>();
		}

	};

	/**
	 * Creates the registry.
	 * @param beanFactory where named executors and executor beans are looked up
	 */
	public RunOnExecutorMethods(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * The plan of a method called on a target, resolved on first use.
	 * @param targetClass the target's class (not the proxy's)
	 * @param method the method invoked, possibly declared on an interface
	 * @return the plan, or null when the method is not {@code @RunOnExecutor}
	 * @throws RunOnExecutorConfigurationException when the method cannot run as declared
	 */
	public @Nullable Plan planFor(Class<?> targetClass, Method method) {
		Map<Method, Optional<Plan>> byMethod = this.plans.get(targetClass);
		Optional<Plan> plan = byMethod.get(method);
		if (plan == null) {
			plan = Optional.ofNullable(resolve(targetClass, method));
			byMethod.put(method, plan);
		}
		return plan.orElse(null);
	}

	/**
	 * The annotation that applies to a method, checking what needs no bean: modifiers, return
	 * type, conflicting names. Used at bean creation, before executors exist.
	 * @param targetClass the target's class
	 * @param method a method of it
	 * @return the executor name, or null when the method is not {@code @RunOnExecutor}
	 * @throws RunOnExecutorConfigurationException when the declaration is invalid
	 */
	public static @Nullable String checkDeclaration(Class<?> targetClass, Method method) {
		Method specific = BridgeMethodResolver.findBridgedMethod(ClassUtils.getMostSpecificMethod(method, targetClass));
		RunOnExecutor annotation = AnnotatedElementUtils.findMergedAnnotation(specific, RunOnExecutor.class);
		if (annotation == null) {
			if (!Modifier.isPublic(specific.getModifiers()) || specific.getDeclaringClass() == Object.class) {
				return null;
			}
			annotation = AnnotatedElementUtils.findMergedAnnotation(specific.getDeclaringClass(), RunOnExecutor.class);
			if (annotation == null || specific.isSynthetic() || Modifier.isStatic(specific.getModifiers())) {
				return null;
			}
		}
		String where = describe(targetClass, specific);
		String value = annotation.value();
		String executor = annotation.executor();
		if (StringUtils.hasText(value) && StringUtils.hasText(executor) && !value.equals(executor)) {
			throw new RunOnExecutorConfigurationException(where + " names two executors: value='" + value + "' and executor='"
					+ executor + "'.", "Keep one of @RunOnExecutor(value) and @RunOnExecutor(executor), or make them equal.");
		}
		int modifiers = specific.getModifiers();
		if (Modifier.isPrivate(modifiers) || Modifier.isFinal(modifiers) || Modifier.isStatic(modifiers)) {
			String kind = Modifier.isPrivate(modifiers) ? "private" : Modifier.isFinal(modifiers) ? "final" : "static";
			throw new RunOnExecutorConfigurationException(where + " is @RunOnExecutor but " + kind
					+ ", so Spring's proxy cannot intercept it and it would run on the caller's thread.",
					"Make " + where + " public (or protected) and neither final nor static.");
		}
		if (ReturnKind.of(specific.getReturnType()) == null) {
			throw new RunOnExecutorConfigurationException(where + " is @RunOnExecutor but returns "
					+ specific.getReturnType().getName() + ", which cannot carry an outcome produced on another thread.",
					"Declare it to return void, LoopFuture<T>, CompletableFuture<T>, CompletionStage<T> or Future<T>.");
		}
		if (StringUtils.hasText(executor)) {
			return executor;
		}
		return StringUtils.hasText(value) ? value : RunOnExecutor.DEFAULT_EXECUTOR;
	}

	private @Nullable Plan resolve(Class<?> targetClass, Method method) {
		String name = checkDeclaration(targetClass, method);
		if (name == null) {
			return null;
		}
		Method specific = BridgeMethodResolver.findBridgedMethod(ClassUtils.getMostSpecificMethod(method, targetClass));
		String where = describe(targetClass, specific);
		name = resolvePlaceholders(name, where);
		// checkDeclaration refused every other return type
		ReturnKind kind = Objects.requireNonNull(ReturnKind.of(specific.getReturnType()), "return kind of " + where);
		Function<Object, Executor> onTarget = targetExecutor(targetClass, name, where);
		if (onTarget != null) {
			return new Plan(where, kind, onTarget);
		}
		Executor executor = namedOrBean(name);
		if (executor == null) {
			NamedExecutors named = this.beanFactory.getBeanProvider(NamedExecutors.class).getIfAvailable();
			String known = (named != null) ? named.names().toString() : "[]";
			throw new RunOnExecutorConfigurationException(where + " runs on executor '" + name
					+ "', but no executor has that name; known executors: " + known + ".",
					"Configure it with eddy.executors." + name + ".* (for example eddy.executors." + name
							+ ".max-size=8), define an Executor bean named '" + name + "', or give "
							+ ClassUtils.getShortName(targetClass) + " a field or getter '" + name + "' of type Executor.");
		}
		return new Plan(where, kind, (target) -> executor);
	}

	/** Resolves {@code ${...}} in an executor name, as Spring resolves {@code @Async("${...}")}. */
	private String resolvePlaceholders(String name, String where) {
		if (!name.contains("${") || !(this.beanFactory instanceof ConfigurableBeanFactory configurable)) {
			return name;
		}
		String resolved;
		try {
			resolved = configurable.resolveEmbeddedValue(name);
			if (resolved != null && resolved.contains("${")) { // a lenient resolver leaves what it cannot resolve
				throw new IllegalArgumentException("Could not resolve placeholder in value \"" + resolved + "\"");
			}
		}
		catch (IllegalArgumentException ex) {
			throw new RunOnExecutorConfigurationException(where + " names its executor '" + name
					+ "', a placeholder that cannot be resolved (" + ex.getMessage() + ").",
					"Set the property the placeholder names, or give it a default, for example @RunOnExecutor(\"${my.executor:executor}\").");
		}
		if (!StringUtils.hasText(resolved)) {
			throw new RunOnExecutorConfigurationException(where + " names its executor '" + name + "', which resolves to '"
					+ resolved + "', an empty name.", "Set the property the placeholder names to an executor's name.");
		}
		return resolved;
	}

	private @Nullable Executor namedOrBean(String name) {
		NamedExecutors named = this.beanFactory.getBeanProvider(NamedExecutors.class).getIfAvailable();
		Executor executor = (named != null) ? named.find(name) : null;
		if (executor == null && this.beanFactory.containsBean(name) && this.beanFactory.isTypeMatch(name, Executor.class)) {
			executor = this.beanFactory.getBean(name, Executor.class);
		}
		return executor;
	}

	/** Tornado's {@code self.executor}: a field or no-arg getter, read on every call (ROE-3). */
	private static @Nullable Function<Object, Executor> targetExecutor(Class<?> targetClass, String name, String where) {
		MethodHandle reader = null;
		String member = null;
		Field field = ReflectionUtils.findField(targetClass, name);
		if (field != null && Executor.class.isAssignableFrom(field.getType()) && !Modifier.isStatic(field.getModifiers())) {
			ReflectionUtils.makeAccessible(field);
			reader = unreflect(() -> MethodHandles.lookup().unreflectGetter(field));
			member = "field '" + name + "'";
		}
		else {
			for (String getter : new String[] { "get" + StringUtils.capitalize(name), name }) {
				Method method = ReflectionUtils.findMethod(targetClass, getter);
				if (method != null && Executor.class.isAssignableFrom(method.getReturnType())
						&& !Modifier.isStatic(method.getModifiers())) {
					ReflectionUtils.makeAccessible(method);
					reader = unreflect(() -> MethodHandles.lookup().unreflect(method));
					member = "getter " + getter + "()";
					break;
				}
			}
		}
		if (reader == null) {
			return null;
		}
		MethodHandle read = reader.asType(reader.type().changeReturnType(Object.class).changeParameterType(0, Object.class));
		String source = member;
		return (target) -> {
			Object executor;
			try {
				executor = read.invokeExact(target);
			}
			catch (Throwable ex) {
				throw new IllegalStateException("Reading the " + source + " of " + where + "'s target failed", ex);
			}
			if (executor == null) {
				throw new IllegalStateException(where + " runs on the " + source + " of its target, which is null; set it before"
						+ " calling, or remove it so that the named executor '" + name + "' is used");
			}
			return (Executor) executor;
		};
	}

	private interface Unreflect {

		MethodHandle get() throws IllegalAccessException;

	}

	private static MethodHandle unreflect(Unreflect unreflect) {
		try {
			return unreflect.get();
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String describe(Class<?> targetClass, Method method) {
		return ClassUtils.getShortName(ClassUtils.getUserClass(targetClass)) + "#" + method.getName();
	}

	/**
	 * How one method runs.
	 *
	 * @param source {@code Class#method}
	 * @param kind its return kind
	 * @param executorOf the executor for a target
	 */
	public record Plan(String source, ReturnKind kind, Function<Object, Executor> executorOf) {

		@Override
		public String toString() {
			return "Plan[" + this.source + ", " + this.kind + "]";
		}

	}

	@Override
	public String toString() {
		return "RunOnExecutorMethods";
	}

}
