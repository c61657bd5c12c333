package dev.eddy.demo.quote;

/**
 * Stands in for the round trip to a remote system.
 */
final class Latency {

	private Latency() {
	}

	static void simulate(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the remote system", ex);
		}
	}

}
