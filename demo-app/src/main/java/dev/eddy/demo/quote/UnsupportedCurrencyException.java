package dev.eddy.demo.quote;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * No exchange rate is available for the currency.
 */
@ResponseStatus(HttpStatus.BAD_REQUEST)
public class UnsupportedCurrencyException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param currency the currency code
	 */
	public UnsupportedCurrencyException(String currency) {
		super("No exchange rate for currency '" + currency + "'");
	}

}
