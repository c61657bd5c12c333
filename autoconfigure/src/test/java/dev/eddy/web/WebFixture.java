package dev.eddy.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.loop.EventLoop;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web application of the MVC tests: a controller whose endpoints return the {@code LoopFuture}
 * (and, for comparison, the {@code CompletableFuture}) of a {@code @RunOnExecutor} service, an
 * {@code @ExceptionHandler} answering a {@code ProblemDetail}, an MDC filter that, like most, does
 * not run on async dispatches, and a body advice that reads the MDC when the response is written.
 */
final class WebFixture {

	static final String REQUEST_ID = "requestId";

	static final String MDC_HEADER = "X-Mdc-Request-Id";

	private WebFixture() {
	}

	record Order(String id, int quantity) {
	}

	static class OrderNotFoundException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		OrderNotFoundException(String id) {
			super("no order '" + id + "'");
		}

	}

	@ResponseStatus(value = HttpStatus.I_AM_A_TEAPOT, reason = "teapot")
	static class TeapotException extends RuntimeException {

		private static final long serialVersionUID = 1L;

	}

	/** The service: each method runs on Eddy's default executor. */
	public static class OrderService {

		@RunOnExecutor
		public LoopFuture<Order> find(String id) {
			if (id.startsWith("missing")) {
				throw new OrderNotFoundException(id);
			}
			if (id.equals("teapot")) {
				throw new TeapotException();
			}
			return LoopFuture.completed(new Order(id, 3));
		}

		@RunOnExecutor
		public CompletableFuture<Order> findCompletable(String id) {
			if (id.startsWith("missing")) {
				throw new OrderNotFoundException(id);
			}
			return CompletableFuture.completedFuture(new Order(id, 3));
		}

		@RunOnExecutor
		public LoopFuture<ResponseEntity<String>> create(String id) {
			return LoopFuture.completed(ResponseEntity.status(HttpStatus.CREATED).header("X-Order", id).body("created " + id));
		}

		@RunOnExecutor
		public LoopFuture<@Nullable String> nothing() {
			return LoopFuture.completed(null);
		}

	}

	/** Futures that nobody completes, handed out by {@code /slow}, for the timeout tests. */
	static final class Pending {

		final List<LoopFuture<String>> futures = new CopyOnWriteArrayList<>();

		final List<CompletableFuture<String>> completables = new CopyOnWriteArrayList<>();

	}

	/** Every unobserved-failure report. */
	static final class Reports implements UnobservedFailureListener {

		final List<UnobservedFailure> reports = new CopyOnWriteArrayList<>();

		@Override
		public void onUnobservedFailure(UnobservedFailure failure) {
			this.reports.add(failure);
		}

	}

	@RestController
	static class OrderController {

		private final OrderService service;

		private final EventLoop loop;

		private final Pending pending;

		OrderController(OrderService service, EventLoop loop, Pending pending) {
			this.service = service;
			this.loop = loop;
			this.pending = pending;
		}

		@GetMapping("/orders/{id}")
		LoopFuture<Order> order(@PathVariable String id) {
			return this.service.find(id);
		}

		@GetMapping("/completable/{id}")
		CompletableFuture<Order> completable(@PathVariable String id) {
			return this.service.findCompletable(id);
		}

		@GetMapping("/created/{id}")
		LoopFuture<ResponseEntity<String>> created(@PathVariable String id) {
			return this.service.create(id);
		}

		@GetMapping("/nothing")
		LoopFuture<@Nullable String> nothing() {
			return this.service.nothing();
		}

		@GetMapping(path = "/text/{id}", produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE })
		LoopFuture<String> text(@PathVariable String id) {
			return LoopFuture.completed("order " + id);
		}

		@GetMapping("/slow")
		LoopFuture<String> slow() {
			LoopFuture<String> future = this.loop.newFuture();
			this.pending.futures.add(future);
			return future;
		}

		@GetMapping("/slow-completable")
		CompletableFuture<String> slowCompletable() {
			CompletableFuture<String> future = this.loop.submit(this.loop::newFuture);
			this.pending.completables.add(future);
			return future;
		}

		@GetMapping("/null")
		@Nullable LoopFuture<String> returnsNull() {
			return null;
		}

	}

	@RestControllerAdvice
	static class Advice implements ResponseBodyAdvice<Object> {

		@ExceptionHandler(OrderNotFoundException.class)
		ResponseEntity<ProblemDetail> notFound(OrderNotFoundException ex) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
			problem.setProperty("mdcRequestId", MDC.get(REQUEST_ID));
			problem.setProperty("thread", Thread.currentThread().getName());
			return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
		}

		@Override
		public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
			return true;
		}

		@Override
		public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType, MediaType contentType,
				Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
			String id = MDC.get(REQUEST_ID);
			response.getHeaders().set(MDC_HEADER, (id != null) ? id : "none");
			return body;
		}

	}

	/** Puts the X-Request-Id header in the MDC; skips async dispatches, as OncePerRequestFilter does by default. */
	static class MdcFilter extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, java.io.IOException {
			String id = request.getHeader("X-Request-Id");
			if (id != null) {
				MDC.put(REQUEST_ID, id);
			}
			try {
				chain.doFilter(request, response);
			}
			finally {
				MDC.remove(REQUEST_ID);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WebConfig {

		@Bean
		OrderService orderService() {
			return new OrderService();
		}

		@Bean
		Pending pending() {
			return new Pending();
		}

		@Bean
		Reports reports() {
			return new Reports();
		}

		@Bean
		OrderController orderController(OrderService service, EventLoop loop, Pending pending) {
			return new OrderController(service, loop, pending);
		}

		@Bean
		Advice advice() {
			return new Advice();
		}

	}

	/**
	 * The message a loop future was cancelled with, read on its loop.
	 * @param loop the loop
	 * @param future the future
	 * @return the message, or a description of the other state it is in
	 */
	static String cancellationMessage(EventLoop loop, LoopFuture<?> future) throws Exception {
		return loop.runSync(() -> {
			if (!future.cancelled()) {
				return LoopFuture.completed("not cancelled: " + future);
			}
			try {
				future.result();
				return LoopFuture.completed("no CancellationException");
			}
			catch (CancellationException ex) {
				return LoopFuture.completed(String.valueOf(ex.getMessage()));
			}
		}, Duration.ofSeconds(5));
	}

	/**
	 * Awaits the one future {@code /slow} handed out.
	 * @param pending the holder
	 * @return the future
	 */
	static LoopFuture<String> onlyPending(Pending pending) {
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !pending.futures.isEmpty());
		assertThat(pending.futures).hasSize(1);
		return pending.futures.get(0);
	}

}
