package dev.eddy.demo.quote;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * How the quote API answers a failure: an RFC 9457 problem detail. It handles the failures of
 * the futures the controllers return as it handles any exception of a request, whether the
 * future is a {@code CompletableFuture} or Eddy's {@code LoopFuture}; a failure that reaches it
 * has been observed, so Eddy does not report it as unobserved.
 */
@RestControllerAdvice
public class QuoteProblems {

	/**
	 * An unlisted symbol: 404.
	 * @param ex the failure
	 * @return the problem, with the symbol as a property
	 */
	@ExceptionHandler(UnknownSymbolException.class)
	public ProblemDetail unknownSymbol(UnknownSymbolException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("Unknown symbol");
		problem.setProperty("symbol", ex.symbol());
		return problem;
	}

}
