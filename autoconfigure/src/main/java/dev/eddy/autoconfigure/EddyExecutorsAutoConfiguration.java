package dev.eddy.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.eddy.executor.ExecutorKind;
import dev.eddy.executor.ExecutorSpec;
import dev.eddy.executor.NamedExecutor;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The named executors: a {@link NamedExecutors} registry (bean {@value #NAMED_EXECUTORS_BEAN})
 * holding one bounded pool per {@code eddy.executors.<name>} plus {@value NamedExecutors#DEFAULT},
 * and one bean per name (bean name = executor name, not a default autowiring candidate, so
 * Boot's {@code applicationTaskExecutor} stays; inject with {@code @Qualifier("<name>")}).
 * Pools are built with Boot's {@link ThreadPoolTaskExecutorBuilder}, so the application's
 * {@code TaskDecorator} applies. An application bean with an executor's name wins over Eddy's.
 * <p>Shutdown: {@link EddyShutdownLifecycle} stops the executors and the loop together in a
 * lifecycle phase after the web server's graceful shutdown, within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}. Bean destruction, which follows, closes them
 * again (a no-op then) in dependency order: the registry depends on the loop.
 */
@AutoConfiguration(after = EddyLoopAutoConfiguration.class)
public final class EddyExecutorsAutoConfiguration {

	/** Bean name of the registry. */
	public static final String NAMED_EXECUTORS_BEAN = "eddyNamedExecutors";

	/** Attribute that marks Eddy's executor bean definitions; its value is the executor's name. */
	static final String EXECUTOR_ATTRIBUTE = "dev.eddy.executor";

	private static final Logger logger = LoggerFactory.getLogger(EddyExecutorsAutoConfiguration.class);

	@Bean(name = NAMED_EXECUTORS_BEAN, destroyMethod = "close")
	@ConditionalOnMissingBean
	NamedExecutors eddyNamedExecutors(EddyProperties properties, EventLoop loop,
			ObjectProvider<ThreadPoolTaskExecutorBuilder> builders, ListableBeanFactory beanFactory, Environment environment) {
		// The loop parameter is a dependency on purpose: the loop must outlive the executors.
		// Like Boot's own executors: virtual threads under spring.threads.virtual.enabled=true (Java 21+), unless kind is set.
		ExecutorKind defaultKind = Threading.VIRTUAL.isActive(environment) ? ExecutorKind.VIRTUAL : null;
		List<ExecutorSpec> specs = new ArrayList<>(properties.executorSpecs(defaultKind));
		if (specs.stream().noneMatch((spec) -> spec.name().equals(NamedExecutors.DEFAULT))) {
			specs.add(0, properties.defaultExecutorSpec(NamedExecutors.DEFAULT, defaultKind));
		}
		List<NamedExecutor> managed = new ArrayList<>();
		Map<String, Executor> external = new LinkedHashMap<>();
		try {
			for (ExecutorSpec spec : specs) {
				Executor own = applicationExecutor(beanFactory, spec.name());
				if (own != null) {
					external.put(spec.name(), own);
				}
				else {
					managed.add(build(ShutdownBudget.cap(spec, environment),
							builders.getIfAvailable(ThreadPoolTaskExecutorBuilder::new)));
				}
			}
		}
		catch (RuntimeException ex) {
			managed.forEach(NamedExecutor::close);
			throw ex;
		}
		return NamedExecutors.of(managed, external);
	}

	@Bean
	@ConditionalOnMissingBean
	EddyShutdownLifecycle eddyShutdownLifecycle(EventLoop loop, ObjectProvider<NamedExecutors> executors) {
		return new EddyShutdownLifecycle(loop, executors.getIfAvailable());
	}

	private static @Nullable Executor applicationExecutor(ListableBeanFactory beanFactory, String name) {
		if (!beanFactory.containsBeanDefinition(name)) {
			return null;
		}
		if (beanFactory instanceof ConfigurableListableBeanFactory configurable
				&& isEddyExecutor(configurable.getBeanDefinition(name))) {
			return null;
		}
		return beanFactory.getBean(name, Executor.class);
	}

	static NamedExecutor build(ExecutorSpec spec, ThreadPoolTaskExecutorBuilder builder) {
		ThreadPoolTaskExecutor pool = builder.corePoolSize(spec.coreSize())
			.maxPoolSize(spec.maxSize())
			.queueCapacity(spec.queueCapacity())
			.allowCoreThreadTimeOut(false)
			.threadNamePrefix(spec.threadNamePrefix())
			.build();
		if (spec.kind() == ExecutorKind.VIRTUAL) {
			pool.setThreadFactory(NamedExecutor.virtualThreads(spec));
		}
		pool.setBeanName(spec.name());
		pool.initialize();
		// Not through the builder: it keeps whole seconds in an int, so 500ms became 0 and a very
		// long keep-alive wrapped negative ("IllegalArgumentException: null" from the pool).
		pool.getThreadPoolExecutor().setKeepAliveTime(NamedExecutor.keepAliveNanos(spec), TimeUnit.NANOSECONDS);
		return NamedExecutor.wrap(spec, pool.getThreadPoolExecutor());
	}

	@Bean
	static AotBuildTimeSettingsCheck eddyAotBuildTimeSettingsCheck(ListableBeanFactory beanFactory, Environment environment) {
		return new AotBuildTimeSettingsCheck(beanFactory, environment);
	}

	@Bean
	static ExecutorBeanRegistrar eddyExecutorBeanRegistrar() {
		return new ExecutorBeanRegistrar();
	}

	/**
	 * The factory method of each executor bean: the executor of that name in the registry. A plain
	 * static factory method with constructor arguments, so that Spring AOT can generate its bean
	 * definition (an instance supplier cannot be).
	 * @param executors the registry
	 * @param name the executor's name
	 * @return the executor
	 */
	static NamedExecutor namedExecutor(NamedExecutors executors, String name) {
		NamedExecutor executor = executors.managed().get(name);
		if (executor == null) {
			throw new IllegalStateException("The NamedExecutors bean has no executor named '" + name
					+ "'; a NamedExecutors bean that replaces Eddy's must hold every executor named in eddy.executors.*");
		}
		return executor;
	}

	/**
	 * Whether a bean definition is one of Eddy's executor definitions rather than the
	 * application's. Spring AOT keeps neither attributes nor the factory method (it becomes
	 * generated code), so in an AOT-processed application they are told by what it keeps: an
	 * infrastructure bean of type {@code NamedExecutor} that is no default autowiring candidate.
	 */
	static boolean isEddyExecutor(BeanDefinition definition) {
		if (definition.getAttribute(EXECUTOR_ATTRIBUTE) != null) {
			return true;
		}
		return definition instanceof AbstractBeanDefinition abstractDefinition
				&& definition.getRole() == BeanDefinition.ROLE_INFRASTRUCTURE && !abstractDefinition.isDefaultCandidate()
				&& NamedExecutor.class.equals(definition.getResolvableType().resolve());
	}

	static RootBeanDefinition executorDefinition(String name) {
		RootBeanDefinition definition = new RootBeanDefinition(EddyExecutorsAutoConfiguration.class);
		definition.setFactoryMethodName("namedExecutor");
		definition.setTargetType(NamedExecutor.class);
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, new RuntimeBeanReference(NamedExecutors.class));
		definition.getConstructorArgumentValues().addIndexedArgumentValue(1, name);
		definition.setDefaultCandidate(false);
		definition.setDestroyMethodName(""); // the registry shuts it down, all executors in parallel
		definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
		definition.setAttribute(EXECUTOR_ATTRIBUTE, name);
		return definition;
	}

	/**
	 * Registers one bean per configured executor name, unless the application defines a bean of
	 * that name, which wins (with a warning, since its {@code eddy.executors.<name>.*} settings are
	 * then ignored). Runs at build time under Spring AOT, whose generated code then registers the
	 * same definitions; it is left out of that code (a {@link BeanFactoryInitializationAotProcessor}
	 * is), so it does not run twice.
	 */
	static final class ExecutorBeanRegistrar
			implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, BeanFactoryInitializationAotProcessor {

		private Environment environment;

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
			Set<String> configured = Binder.get(this.environment)
				.bind("eddy.executors", Bindable.mapOf(String.class, Object.class))
				.map(Map::keySet)
				.orElse(Set.of());
			Set<String> names = new LinkedHashSet<>();
			names.add(NamedExecutors.DEFAULT);
			names.addAll(configured);
			for (String name : names) {
				if (registry.containsBeanDefinition(name)) {
					if (configured.contains(name) && !isEddyExecutor(registry.getBeanDefinition(name))) {
						logger.warn("The application defines a bean named '{}', which is used instead of the executor configured by"
								+ " eddy.executors.{}.*; those settings are ignored. Rename the bean or the executor.", name, name);
					}
					continue;
				}
				registry.registerBeanDefinition(name, executorDefinition(name));
			}
		}

		@Override
		public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
			// Each executor bean goes before the registry (whatever its name) at shutdown, the registry before the loop.
			String[] registries = beanFactory.getBeanNamesForType(NamedExecutors.class, false, false);
			for (String name : beanFactory.getBeanDefinitionNames()) {
				BeanDefinition definition = beanFactory.getBeanDefinition(name);
				if (isEddyExecutor(definition)) {
					definition.setDependsOn(registries);
				}
			}
		}

		@Override
		public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
			return null; // nothing to contribute: implementing this keeps the registrar out of AOT-generated code
		}

	}

}
