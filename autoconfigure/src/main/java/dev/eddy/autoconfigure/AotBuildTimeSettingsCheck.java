package dev.eddy.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Under Spring AOT, tells the operator which Eddy settings the generated code fixed when
 * {@code process-aot} ran and the running configuration now contradicts: an executor name added
 * at run time (it gets no bean), {@code eddy.run-on-executor.enabled} and {@code eddy.web.enabled}.
 * Spring AOT evaluates conditions at build time and ignores their run-time values without a word;
 * this check turns that silent difference into one warning naming each key. Outside AOT it does
 * nothing.
 * <p>Runs once, on the thread that refreshes the context.
 */
final class AotBuildTimeSettingsCheck implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(AotBuildTimeSettingsCheck.class);

	static final String RUN_ON_EXECUTOR_ENABLED = "eddy.run-on-executor.enabled";

	static final String WEB_ENABLED = "eddy.web.enabled";

	/** Bean names of {@code EddyWebAutoConfiguration}: with the integration on, and with it off. */
	static final List<String> WEB_ON_BEANS = List.of("eddyLoopFutureReturnValueHandlerInstaller",
			"eddyLoopFutureReactiveAdapterRegistrar");

	static final String WEB_OFF_BEAN = "eddyLoopFutureHandlerMethodsCheck";

	private final ListableBeanFactory beanFactory;

	private final Environment environment;

	AotBuildTimeSettingsCheck(ListableBeanFactory beanFactory, Environment environment) {
		this.beanFactory = beanFactory;
		this.environment = environment;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!AotDetector.useGeneratedArtifacts()) {
			return;
		}
		List<String> ignored = ignoredSettings();
		if (!ignored.isEmpty()) {
			logger.warn("This application runs from Spring AOT's generated code, which fixed these Eddy settings when "
					+ "process-aot ran; their run-time values are ignored: {}. Run process-aot with the configuration "
					+ "the application runs with (see Eddy's docs/aot.md)", String.join("; ", ignored));
		}
	}

	/** @return each run-time setting the generated code contradicts, with what it means */
	List<String> ignoredSettings() {
		List<String> ignored = new ArrayList<>();
		for (String name : Binder.get(this.environment)
			.bind("eddy.executors", Bindable.mapOf(String.class, Object.class))
			.orElseGet(java.util.Map::of)
			.keySet()) {
			if (!this.beanFactory.containsBean(name)) {
				ignored.add("eddy.executors." + name + ".* (executor '" + name + "' was not configured at build time: it has "
						+ "no bean, and @RunOnExecutor(\"" + name + "\") cannot find it by bean name)");
			}
		}
		boolean runOnExecutor = this.environment.getProperty(RUN_ON_EXECUTOR_ENABLED, Boolean.class, true);
		boolean aspect = this.beanFactory.containsBean(EddyRunOnExecutorAutoConfiguration.ASPECT_BEAN);
		// An aspect the application declared replaces Eddy's (@ConditionalOnMissingBean) whatever the property says.
		boolean ownAspect = !aspect && this.beanFactory.getBeanNamesForType(dev.eddy.aop.RunOnExecutorAspect.class, true, false).length > 0;
		if (!ownAspect && runOnExecutor != aspect && (aspect || ClassUtils.isPresent("org.aspectj.lang.annotation.Aspect", null))) {
			ignored.add(RUN_ON_EXECUTOR_ENABLED + "=" + runOnExecutor + " (built with @RunOnExecutor "
					+ (aspect ? "on" : "off") + ")");
		}
		boolean web = this.environment.getProperty(WEB_ENABLED, Boolean.class, true);
		boolean builtOn = WEB_ON_BEANS.stream().anyMatch(this.beanFactory::containsBean);
		boolean builtOff = this.beanFactory.containsBean(WEB_OFF_BEAN);
		if ((web && builtOff) || (!web && builtOn)) {
			ignored.add(WEB_ENABLED + "=" + web + " (built with the web integration " + (builtOn ? "on" : "off") + ")");
		}
		return ignored;
	}

}
