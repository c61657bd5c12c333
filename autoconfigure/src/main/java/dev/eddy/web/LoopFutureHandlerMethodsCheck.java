package dev.eddy.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.eddy.concurrent.LoopFuture;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.ClassUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * With the web integration switched off, fails startup when a Spring MVC or WebFlux handler
 * method is declared to return {@code LoopFuture}: nothing would turn it into a response, and
 * Jackson refuses to write it. Runs once every singleton exists, so the handler mappings have
 * found their methods.
 * <p>Thread-safe.
 */
final class LoopFutureHandlerMethodsCheck implements SmartInitializingSingleton {

	private static final String MVC_MAPPING = "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping";

	private static final String WEBFLUX_MAPPING = "org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping";

	private final ListableBeanFactory beanFactory;

	LoopFutureHandlerMethodsCheck(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<String> offending = new ArrayList<>();
		ClassLoader classLoader = getClass().getClassLoader();
		if (ClassUtils.isPresent(MVC_MAPPING, classLoader)) {
			collect(Mvc.handlerMethods(this.beanFactory), offending);
		}
		if (ClassUtils.isPresent(WEBFLUX_MAPPING, classLoader)) {
			collect(WebFlux.handlerMethods(this.beanFactory), offending);
		}
		if (!offending.isEmpty()) {
			java.util.Collections.sort(offending);
			throw new EddyWebDisabledException(String.join(", ", offending) + ((offending.size() == 1) ? " is a handler method"
					: " are handler methods") + " declared to return LoopFuture, but Eddy's web integration is switched off "
					+ "(eddy.web.enabled=false), so nothing would turn the future into a response.",
					"Remove eddy.web.enabled=false (it defaults to true), or declare the method to return CompletableFuture<T> "
							+ "and return future.toCompletableFuture().");
		}
	}

	private static void collect(List<HandlerMethod> methods, List<String> offending) {
		for (HandlerMethod method : methods) {
			if (LoopFuture.class.isAssignableFrom(method.getMethod().getReturnType())) {
				String where = ClassUtils.getShortName(ClassUtils.getUserClass(method.getBeanType())) + "#"
						+ method.getMethod().getName();
				if (!offending.contains(where)) {
					offending.add(where);
				}
			}
		}
	}

	/** Loaded only when Spring MVC is present. */
	private static final class Mvc {

		static List<HandlerMethod> handlerMethods(ListableBeanFactory beanFactory) {
			List<HandlerMethod> methods = new ArrayList<>();
			Map<String, org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping> mappings = beanFactory
				.getBeansOfType(org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping.class, false,
						false);
			mappings.values().forEach((mapping) -> methods.addAll(mapping.getHandlerMethods().values()));
			return methods;
		}

	}

	/** Loaded only when Spring WebFlux is present. */
	private static final class WebFlux {

		static List<HandlerMethod> handlerMethods(ListableBeanFactory beanFactory) {
			List<HandlerMethod> methods = new ArrayList<>();
			Map<String, org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping> mappings = beanFactory
				.getBeansOfType(org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping.class, false,
						false);
			mappings.values().forEach((mapping) -> methods.addAll(mapping.getHandlerMethods().values()));
			return methods;
		}

	}

}
