package dev.eddy.autoconfigure;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.eddy.aop.RunOnExecutorAspect;
import dev.eddy.aop.RunOnExecutorConfigurationException;
import dev.eddy.aop.RunOnExecutorMethods;
import dev.eddy.aop.SelfInvocations;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.internal.Dispatcher;
import dev.eddy.loop.EventLoop;
import dev.eddy.unobserved.UnobservedFailureDetector;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * {@code @RunOnExecutor}: the advisor ({@link RunOnExecutorAspect}, when AspectJ is on the class path and
 * {@code eddy.run-on-executor.enabled} is not false) and a startup check of every annotated
 * method of every bean, which always runs: an annotated method that cannot run as declared, or
 * that would silently run on the caller because the aspect is off, fails startup.
 */
@AutoConfiguration(after = { EddyExecutorsAutoConfiguration.class, AopAutoConfiguration.class })
public final class EddyRunOnExecutorAutoConfiguration {

	/** Bean name of the aspect. */
	public static final String ASPECT_BEAN = "eddyRunOnExecutorAspect";

	@Bean
	@ConditionalOnMissingBean
	RunOnExecutorMethods eddyRunOnExecutorMethods(BeanFactory beanFactory) {
		return new RunOnExecutorMethods(beanFactory);
	}

	@Bean
	static RunOnExecutorValidator eddyRunOnExecutorValidator() {
		return new RunOnExecutorValidator();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.aspectj.lang.annotation.Aspect")
	@ConditionalOnBooleanProperty(name = "eddy.run-on-executor.enabled", matchIfMissing = true)
	static class AspectConfiguration {

		/**
		 * The advisor. The auto-proxy creator instantiates every {@code Advisor} bean the first time it
		 * looks for advisors, while bean post-processors are still being registered: infrastructure role
		 * (no "not eligible for getting processed by all BeanPostProcessors" warning), and its
		 * collaborators through providers, resolved on the first call, so that the loop, the detector and
		 * the executors are created in their usual order and fully post-processed.
		 */
		@Bean(ASPECT_BEAN)
		@ConditionalOnMissingBean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static RunOnExecutorAspect eddyRunOnExecutorAspect(ObjectProvider<RunOnExecutorMethods> methods,
				ObjectProvider<EventLoop> loop, ObjectProvider<UnobservedFailureDetector> detector,
				ObjectProvider<ContextPropagatingDecorator> contextPropagation) {
			return new RunOnExecutorAspect(methods::getObject,
					() -> new Dispatcher(loop.getObject(), detector.getObject(), contextPropagation.getIfAvailable()));
		}

	}

	/**
	 * Checks every bean's {@code @RunOnExecutor} methods: the declaration when the bean is
	 * created, the executor once all singletons exist.
	 */
	static final class RunOnExecutorValidator implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {

		private static final org.slf4j.Logger selfInvocationLogger = org.slf4j.LoggerFactory
			.getLogger(RunOnExecutorAspect.class);

		private final Map<Class<?>, Map<Method, String>> annotated = new ConcurrentHashMap<>();

		private ConfigurableListableBeanFactory beanFactory;

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
		}

		@Override
		public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
			Class<?> type = ClassUtils.getUserClass(bean);
			if (this.annotated.containsKey(type) || !AnnotationUtils.isCandidateClass(type, RunOnExecutor.class)) {
				return bean;
			}
			Map<Method, String> methods = MethodIntrospector.selectMethods(type,
					(MethodIntrospector.MetadataLookup<String>) (method) -> RunOnExecutorMethods.checkDeclaration(type, method));
			if (!methods.isEmpty() && !hasAspect()) {
				Method first = methods.keySet().iterator().next();
				throw new RunOnExecutorConfigurationException(ClassUtils.getShortName(type) + "#" + first.getName()
						+ " is @RunOnExecutor, but the aspect that runs it is off, so it would run on the caller's thread.",
						"Add org.springframework.boot:spring-boot-starter-aspectj (or org.aspectj:aspectjweaver) to the class path"
								+ " and make sure eddy.run-on-executor.enabled is not false; or remove @RunOnExecutor.");
			}
			this.annotated.put(type, methods);
			if (!methods.isEmpty()) {
				warnSelfInvocations(type, methods.keySet());
			}
			return bean;
		}

		/** Eddy's advisor or one the application declared instead (by type, without creating it). */
		private boolean hasAspect() {
			return this.beanFactory.containsBeanDefinition(ASPECT_BEAN)
					|| this.beanFactory.getBeanNamesForType(RunOnExecutorAspect.class, true, false).length > 0;
		}

		/** A call from inside the bean bypasses the proxy (as with {@code @Async}): say so once, at startup. */
		private static void warnSelfInvocations(Class<?> type, java.util.Set<Method> methods) {
			if (!selfInvocationLogger.isWarnEnabled()) {
				return;
			}
			for (String call : SelfInvocations.find(type, methods)) {
				selfInvocationLogger.warn("{}: a call from inside the same bean bypasses Spring's proxy, so the @RunOnExecutor "
						+ "method runs on the caller's thread, as a self-call of @Async does; call it through the proxy "
						+ "(inject ObjectProvider<{}> and call getObject()) or move it to another bean", call,
						ClassUtils.getShortName(type));
			}
		}

		@Override
		public void afterSingletonsInstantiated() {
			if (!hasAspect()) {
				return;
			}
			RunOnExecutorMethods methods = this.beanFactory.getBean(RunOnExecutorMethods.class);
			this.annotated.forEach((type, byMethod) -> byMethod.keySet().forEach((method) -> methods.planFor(type, method)));
		}

	}

}
