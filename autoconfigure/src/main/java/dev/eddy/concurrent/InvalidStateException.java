package dev.eddy.concurrent;

/**
 * A future was asked for something its state does not allow: its result while it is
 * still pending, or a second completion (asyncio {@code InvalidStateError}, AF-2, AF-7).
 * <p>Thread-safe (immutable).
 */
public class InvalidStateException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what was asked, of which future, and how to avoid it
	 */
	public InvalidStateException(String message) {
		super(message);
	}

}
