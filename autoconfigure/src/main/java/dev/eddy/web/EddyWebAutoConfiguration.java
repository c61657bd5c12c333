package dev.eddy.web;

import org.jspecify.annotations.Nullable;
import java.util.ArrayList;
import java.util.List;

import dev.eddy.autoconfigure.EddyLoopAutoConfiguration;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ReactiveTypeDescriptor;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Eddy in the web layer, switched by {@code eddy.web.enabled} (default true):
 * <ul>
 * <li>Spring MVC: {@link LoopFuture} (and Eddy's {@code CompletableFuture}) return values through
 * {@link LoopFutureReturnValueHandler}, placed first among the return value handlers, and the
 * request's MDC put back for the async dispatch. Needs no Reactor.</li>
 * <li>WebFlux: a {@link ReactiveAdapterRegistry} adapter, so that every WebFlux result handler
 * treats a {@code LoopFuture} as it treats a {@code Mono} ({@link EddyReactor#toMono}).</li>
 * <li>Switched off: a handler method declared to return {@code LoopFuture} fails startup.</li>
 * <li>Either way, with Jackson 3: {@link EddyJacksonModule}, so that no future is written as JSON.</li>
 * </ul>
 */
@AutoConfiguration(after = EddyLoopAutoConfiguration.class)
@EnableConfigurationProperties(EddyWebProperties.class)
public final class EddyWebAutoConfiguration {

	private static final String ENABLED = "eddy.web.enabled";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = ENABLED, matchIfMissing = true)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ RequestMappingHandlerAdapter.class, WebMvcConfigurer.class })
	static class MvcConfiguration {

		@Bean
		static BeanPostProcessor eddyLoopFutureReturnValueHandlerInstaller() {
			return new ReturnValueHandlerInstaller();
		}

		@Bean
		WebMvcConfigurer eddyWebMvcConfigurer() {
			return new WebMvcConfigurer() {

				@Override
				public void addInterceptors(InterceptorRegistry registry) {
					registry.addInterceptor(LoopFutureReturnValueHandler.contextRestorer()).order(Ordered.HIGHEST_PRECEDENCE);
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = ENABLED, matchIfMissing = true)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass({ Mono.class, org.springframework.web.reactive.DispatcherHandler.class })
	static class WebFluxConfiguration {

		@Bean
		static BeanPostProcessor eddyLoopFutureReactiveAdapterRegistrar(ObjectProvider<EventLoop> loop) {
			return new ReactiveAdapterRegistrar(loop);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = ENABLED, havingValue = false)
	@ConditionalOnWebApplication
	static class DisabledConfiguration {

		@Bean
		static LoopFutureHandlerMethodsCheck eddyLoopFutureHandlerMethodsCheck(ListableBeanFactory beanFactory) {
			return new LoopFutureHandlerMethodsCheck(beanFactory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "tools.jackson.databind.JacksonModule")
	static class JacksonConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EddyJacksonModule eddyJacksonModule() {
			return new EddyJacksonModule();
		}

	}

	/** Puts {@link LoopFutureReturnValueHandler} first in every {@code RequestMappingHandlerAdapter}. */
	static final class ReturnValueHandlerInstaller implements BeanPostProcessor {

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof RequestMappingHandlerAdapter adapter) {
				List<HandlerMethodReturnValueHandler> current = adapter.getReturnValueHandlers();
				if (current != null && current.stream().noneMatch(LoopFutureReturnValueHandler.class::isInstance)) {
					List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(current.size() + 1);
					handlers.add(new LoopFutureReturnValueHandler());
					handlers.addAll(current);
					adapter.setReturnValueHandlers(handlers);
				}
			}
			return bean;
		}

	}

	/**
	 * Registers {@code LoopFuture} in every {@code ReactiveAdapterRegistry} bean of a reactive web
	 * application (not in the JVM-wide shared instance, which would bind one context's loop for
	 * all): to a {@code Mono} with {@link EddyReactor#toMono}, from a publisher onto the context's
	 * loop with {@link EddyReactor#toLoopFuture}.
	 */
	static final class ReactiveAdapterRegistrar implements BeanPostProcessor {

		private final ObjectProvider<EventLoop> loop;

		ReactiveAdapterRegistrar(ObjectProvider<EventLoop> loop) {
			this.loop = loop;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof ReactiveAdapterRegistry registry && registry != ReactiveAdapterRegistry.getSharedInstance()) {
				registry.registerReactiveType(
						ReactiveTypeDescriptor.nonDeferredAsyncValue(LoopFuture.class, EddyWebAutoConfiguration::emptyLoopFuture),
						(source) -> EddyReactor.toMono((LoopFuture<?>) source),
						(publisher) -> EddyReactor.toLoopFuture(Mono.from(publisher), this.loop.getObject()));
			}
			return bean;
		}

	}

	/** The empty value of the Reactor adapter: a done future with a null result (JDK 17's NullAway cannot read the type-use bound). */
	@SuppressWarnings("NullAway")
	private static LoopFuture<?> emptyLoopFuture() {
		return LoopFuture.completed(null);
	}

}
