package dev.eddy.autoconfigure;

import java.util.function.UnaryOperator;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;

/**
 * Carries the submitting thread's context (MDC, Micrometer observation and tracing, anything
 * registered with Micrometer's context-propagation) onto the thread that runs a task: loop
 * callbacks and {@code @RunOnExecutor} bodies. Registers the SLF4J MDC accessor if nobody did.
 * <p>Thread-safe.
 */
public final class ContextPropagatingDecorator implements UnaryOperator<Runnable> {

	private final ContextSnapshotFactory snapshots;

	/**
	 * Creates the decorator over the global context registry.
	 */
	public ContextPropagatingDecorator() {
		ContextRegistry registry = ContextRegistry.getInstance();
		boolean mdcRegistered = registry.getThreadLocalAccessors()
			.stream()
			.anyMatch((accessor) -> Slf4jThreadLocalAccessor.KEY.equals(accessor.key()));
		if (!mdcRegistered) {
			registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
		}
		this.snapshots = ContextSnapshotFactory.builder().contextRegistry(registry).build();
	}

	@Override
	public Runnable apply(Runnable task) {
		return this.snapshots.captureAll().wrap(task);
	}

	@Override
	public String toString() {
		return "ContextPropagatingDecorator";
	}

}
