package dev.eddy.autoconfigure;

import java.util.function.UnaryOperator;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;

import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * Carries the submitting thread's context (Micrometer observation and tracing, so the tracer's
 * {@code traceId}/{@code spanId}; the SLF4J MDC, so the application's own keys; anything else
 * registered with Micrometer's context-propagation) onto the thread that runs a task: loop
 * callbacks and {@code @RunOnExecutor} bodies. Spring's {@link ContextPropagatingTaskDecorator}
 * does the work; on the way back the thread's context is restored as it was.
 * <p>Eddy registers nothing in the global {@link ContextRegistry}: it reads the accessors found
 * there (those loaded by Micrometer's {@code ServiceLoader} and any the application registered)
 * into a registry of its own, and adds the SLF4J MDC accessor to that one only. Registering the
 * MDC accessor globally changes what every other user of the registry (Reactor, other
 * libraries) restores, and has wiped tracing keys from logs elsewhere.
 * <p>Thread-safe.
 */
public final class ContextPropagatingDecorator implements UnaryOperator<Runnable> {

	private final ContextPropagatingTaskDecorator delegate;

	/**
	 * Creates the decorator over the accessors of the global context registry, as it is now.
	 */
	public ContextPropagatingDecorator() {
		this(ContextRegistry.getInstance());
	}

	/**
	 * Creates the decorator over the accessors of a registry, which is left unchanged.
	 * @param source where the accessors come from
	 */
	public ContextPropagatingDecorator(ContextRegistry source) {
		ContextRegistry own = new ContextRegistry();
		source.getContextAccessors().forEach(own::registerContextAccessor);
		source.getThreadLocalAccessors().forEach(own::registerThreadLocalAccessor);
		boolean mdc = own.getThreadLocalAccessors()
			.stream()
			.anyMatch((accessor) -> Slf4jThreadLocalAccessor.KEY.equals(accessor.key()));
		if (!mdc) {
			own.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
		}
		this.delegate = new ContextPropagatingTaskDecorator(ContextSnapshotFactory.builder().contextRegistry(own).build());
	}

	@Override
	public Runnable apply(Runnable task) {
		return this.delegate.decorate(task);
	}

	@Override
	public String toString() {
		return "ContextPropagatingDecorator";
	}

}
