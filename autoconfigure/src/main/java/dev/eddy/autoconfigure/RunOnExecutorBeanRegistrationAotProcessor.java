package dev.eddy.autoconfigure;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.Executor;

import dev.eddy.aop.RunOnExecutorConfigurationException;
import dev.eddy.aop.RunOnExecutorMethods;
import dev.eddy.concurrent.RunOnExecutor;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Reflection hints for application beans with {@code @RunOnExecutor} methods: at startup Eddy
 * lists their methods, and on each call it may read an executor field or no-arg getter of the
 * target (Tornado's {@code self.executor}). Since a name may be a {@code ${...}} placeholder that
 * resolves differently at run time, every non-static field and no-arg method of type
 * {@code Executor} in the class hierarchy is registered, not only those named at build time.
 * Registered in {@code META-INF/spring/aot.factories}.
 * <p>Thread-safe (stateless).
 */
final class RunOnExecutorBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> type = ClassUtils.getUserClass(registeredBean.getBeanClass());
		if (!hasRunOnExecutorMethods(type)) {
			return null;
		}
		return (generationContext, code) -> registerHints(generationContext.getRuntimeHints().reflection(), type);
	}

	static boolean hasRunOnExecutorMethods(Class<?> type) {
		if (!AnnotationUtils.isCandidateClass(type, RunOnExecutor.class)) {
			return false;
		}
		Map<Method, String> methods = MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<String>) (method) -> {
			try {
				return RunOnExecutorMethods.checkDeclaration(type, method);
			}
			catch (RunOnExecutorConfigurationException ex) {
				return "invalid"; // reported at startup, with hints or without
			}
		});
		return !methods.isEmpty();
	}

	static void registerHints(ReflectionHints hints, Class<?> type) {
		hints.registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Field field : current.getDeclaredFields()) {
				if (Executor.class.isAssignableFrom(field.getType()) && !Modifier.isStatic(field.getModifiers())) {
					hints.registerField(field);
				}
			}
		}
		ReflectionUtils.doWithMethods(type, (method) -> hints.registerMethod(method, ExecutableMode.INVOKE),
				(method) -> method.getParameterCount() == 0 && Executor.class.isAssignableFrom(method.getReturnType())
						&& !Modifier.isStatic(method.getModifiers()));
	}

}
