package dev.eddy.web;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.internal.EddyCompletableFuture;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.core.MethodParameter;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.method.support.AsyncHandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.AsyncHandlerInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.DeferredResultMethodReturnValueHandler;

/**
 * Spring MVC support for {@link LoopFuture} return values, and for the {@code CompletableFuture}s
 * Eddy hands out, over a {@link DeferredResult}:
 * <ul>
 * <li>the value is the concurrent result, so the async dispatch writes it exactly as it writes a
 * {@code CompletableFuture}'s (content negotiation, {@code ResponseEntity} inside the future);</li>
 * <li>a failure is the error result, resolved by the application's {@code @ExceptionHandler},
 * {@code ProblemDetail} and {@code @ResponseStatus}; reading it through the future's
 * {@code toCompletableFuture()} view observes it, so it is not reported as unobserved;</li>
 * <li>an async request timeout or a failed async request (a client that went away) cancels the
 * future with a message naming the handler method and the request;</li>
 * <li>the request thread's MDC is put back, by {@link #contextRestorer()}, on the thread of the
 * async dispatch that writes the response and resolves the failure.</li>
 * </ul>
 * A {@code CompletionStage} that is not Eddy's is left to Spring's own handler, unchanged. It is
 * placed first among the handler adapter's return value handlers (see
 * {@link EddyWebAutoConfiguration}): behind {@code @ResponseBody}'s handler it would never be asked,
 * and Jackson would write the future itself.
 * <p>Thread-safe.
 */
final class LoopFutureReturnValueHandler implements AsyncHandlerMethodReturnValueHandler {

	/** Request attribute: the MDC of the request thread when the handler method returned. */
	static final String MDC_ATTRIBUTE = LoopFutureReturnValueHandler.class.getName() + ".MDC";

	/** Request attribute: the MDC of the async dispatch thread before it was replaced. */
	private static final String PREVIOUS_MDC_ATTRIBUTE = LoopFutureReturnValueHandler.class.getName() + ".PREVIOUS_MDC";

	private static final Map<String, String> EMPTY_MDC = Map.of();

	private final DeferredResultMethodReturnValueHandler springHandler = new DeferredResultMethodReturnValueHandler();

	@Override
	public boolean supportsReturnType(MethodParameter returnType) {
		Class<?> type = returnType.getParameterType();
		return LoopFuture.class.isAssignableFrom(type) || CompletionStage.class.isAssignableFrom(type);
	}

	@Override
	public boolean isAsyncReturnValue(@Nullable Object returnValue, MethodParameter returnType) {
		return returnValue instanceof LoopFuture || returnValue instanceof CompletionStage;
	}

	@Override
	public void handleReturnValue(@Nullable Object returnValue, MethodParameter returnType, ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest) throws Exception {
		if (returnValue instanceof LoopFuture<?> future) {
			handle(future.toCompletableFuture(), (message) -> WebFutures.cancel(future, message), returnType, mavContainer,
					webRequest);
		}
		else if (returnValue instanceof EddyCompletableFuture<?> future) {
			handle(future, (message) -> WebFutures.cancel(future, message), returnType, mavContainer, webRequest);
		}
		else if (returnValue == null && LoopFuture.class.isAssignableFrom(returnType.getParameterType())) {
			throw new IllegalStateException(describe(returnType) + " returned null instead of a LoopFuture; return "
					+ "LoopFuture.completed(null) for a response without a body");
		}
		else {
			this.springHandler.handleReturnValue(returnValue, returnType, mavContainer, webRequest);
		}
	}

	private static void handle(CompletableFuture<?> view, Consumer<String> cancel, MethodParameter returnType,
			ModelAndViewContainer mavContainer, NativeWebRequest webRequest) throws Exception {
		String where = describe(returnType);
		String request = describe(webRequest);
		DeferredResult<@Nullable Object> result = new DeferredResult<>();
		// Set before cancelling: the cancellation that comes back through the view is not a result, so Spring's own
		// timeout and error handling (AsyncRequestTimeoutException, interceptors) decide the response, as for any
		// DeferredResult.
		AtomicBoolean cancelling = new AtomicBoolean();
		result.onTimeout(() -> {
			cancelling.set(true);
			cancel.accept("The async request timeout expired for " + request + " before " + where
					+ " completed; raise spring.mvc.async.request-timeout if it needs longer");
		});
		result.onError((failure) -> {
			cancelling.set(true);
			cancel.accept("The async request " + request + " failed before " + where
					+ " completed (the client may have gone away): " + failure);
		});
		HttpServletRequest servletRequest = webRequest.getNativeRequest(HttpServletRequest.class);
		if (servletRequest != null) {
			Map<String, String> mdc = MDC.getCopyOfContextMap();
			servletRequest.setAttribute(MDC_ATTRIBUTE, (mdc != null) ? mdc : EMPTY_MDC);
		}
		// whenComplete observes the failure (it reaches the exception resolvers); completing inline before
		// startDeferredResultProcessing is fine: DeferredResult keeps the result until processing starts.
		view.whenComplete((value, failure) -> {
			if (failure != null) {
				Throwable exception = WebFutures.unwrap(failure);
				if (!(exception instanceof CancellationException && cancelling.get())) {
					result.setErrorResult(exception);
				}
			}
			else {
				result.setResult(value);
			}
		});
		WebAsyncUtils.getAsyncManager(webRequest).startDeferredResultProcessing(result, mavContainer);
	}

	static String describe(MethodParameter returnType) {
		return ClassUtils.getShortName(returnType.getContainingClass()) + "#" + returnType.getExecutable().getName();
	}

	private static String describe(NativeWebRequest webRequest) {
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		return (request != null) ? "'" + request.getMethod() + " " + request.getRequestURI() + "'" : "'" + webRequest + "'";
	}

	/**
	 * Puts the request thread's MDC back for the async dispatch of a request whose handler
	 * returned an Eddy future, and restores the dispatch thread's own MDC afterwards. Order it
	 * first, so that every other interceptor and the exception resolvers see it.
	 * @return the interceptor
	 */
	static AsyncHandlerInterceptor contextRestorer() {
		return new ContextRestorer();
	}

	/** Thread-safe (state lives in request attributes). */
	private static final class ContextRestorer implements AsyncHandlerInterceptor {

		@Override
		@SuppressWarnings("unchecked")
		public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
			if (request.getDispatcherType() == DispatcherType.ASYNC
					&& request.getAttribute(MDC_ATTRIBUTE) instanceof Map<?, ?> captured) {
				Map<String, String> previous = MDC.getCopyOfContextMap();
				request.setAttribute(PREVIOUS_MDC_ATTRIBUTE, (previous != null) ? previous : EMPTY_MDC);
				Map<String, String> merged = new java.util.HashMap<>((previous != null) ? previous : EMPTY_MDC);
				merged.putAll((Map<String, String>) captured);
				MDC.setContextMap(merged);
			}
			return true;
		}

		@Override
		@SuppressWarnings("unchecked")
		public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
				@Nullable Exception ex) {
			if (request.getDispatcherType() == DispatcherType.ASYNC
					&& request.getAttribute(PREVIOUS_MDC_ATTRIBUTE) instanceof Map<?, ?> previous) {
				request.removeAttribute(PREVIOUS_MDC_ATTRIBUTE);
				MDC.setContextMap((Map<String, String>) previous);
			}
		}

		@Override
		public String toString() {
			return "Eddy MDC restorer";
		}

	}

	@Override
	public String toString() {
		return "LoopFutureReturnValueHandler";
	}

}
