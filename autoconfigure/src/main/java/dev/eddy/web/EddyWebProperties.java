package dev.eddy.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of Eddy's web integration ({@code eddy.web.*}).
 * <p>Not thread-safe: bound once at startup, read-only afterwards.
 */
@ConfigurationProperties("eddy.web")
public class EddyWebProperties {

	/**
	 * Whether handler methods of Spring MVC and WebFlux may return LoopFuture: its value becomes
	 * the response body and its failure goes through the application's exception handling. When
	 * false, a handler method declared to return LoopFuture fails startup.
	 */
	private boolean enabled = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
