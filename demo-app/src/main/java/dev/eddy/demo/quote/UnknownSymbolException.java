package dev.eddy.demo.quote;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * No instrument is listed under the symbol.
 */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class UnknownSymbolException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String symbol;

	/**
	 * Creates the exception.
	 * @param symbol the symbol
	 */
	public UnknownSymbolException(String symbol) {
		super("No instrument is listed under '" + symbol + "'");
		this.symbol = symbol;
	}

	/** @return the symbol nothing is listed under */
	public String symbol() {
		return this.symbol;
	}

}
