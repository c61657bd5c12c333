package dev.eddy.executor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

/**
 * The registry of named executors. Always holds {@value #DEFAULT} (Tornado's default attribute
 * name), unless the application supplies its own executor of that name. Closing it shuts every
 * executor it built down, in parallel, each within its {@code await-termination}.
 * <p>Thread-safe (the set of executors is fixed at construction).
 */
public final class NamedExecutors implements AutoCloseable {

	/** Name of the default executor. */
	public static final String DEFAULT = "executor";

	private final Map<String, NamedExecutor> managed;

	private final Map<String, Executor> external;

	private NamedExecutors(Map<String, NamedExecutor> managed, Map<String, Executor> external) {
		this.managed = Collections.unmodifiableMap(new LinkedHashMap<>(managed));
		this.external = Collections.unmodifiableMap(new LinkedHashMap<>(external));
	}

	/**
	 * Builds one executor per spec, plus {@value #DEFAULT} with default settings when no spec
	 * names it.
	 * @param specs the settings
	 * @return the registry
	 * @throws IllegalArgumentException when two specs have the same name (none is left running)
	 */
	public static NamedExecutors create(Collection<ExecutorSpec> specs) {
		Map<String, NamedExecutor> built = new LinkedHashMap<>();
		try {
			if (specs.stream().noneMatch((spec) -> spec.name().equals(DEFAULT))) {
				built.put(DEFAULT, NamedExecutor.create(ExecutorSpec.defaults(DEFAULT)));
			}
			for (ExecutorSpec spec : specs) {
				if (built.containsKey(spec.name())) {
					throw new IllegalArgumentException("Two executors are named '" + spec.name() + "'");
				}
				built.put(spec.name(), NamedExecutor.create(spec));
			}
		}
		catch (RuntimeException ex) {
			built.values().forEach(NamedExecutor::close);
			throw ex;
		}
		return new NamedExecutors(built, Map.of());
	}

	/**
	 * A registry of executors built elsewhere, and of executors the application owns (which it
	 * shuts down itself).
	 * @param managed executors this registry shuts down
	 * @param external the application's executors by name
	 * @return the registry
	 */
	public static NamedExecutors of(Collection<NamedExecutor> managed, Map<String, ? extends Executor> external) {
		Map<String, NamedExecutor> byName = new LinkedHashMap<>();
		for (NamedExecutor executor : managed) {
			if (byName.put(executor.name(), executor) != null) {
				throw new IllegalArgumentException("Two executors are named '" + executor.name() + "'");
			}
		}
		for (String name : external.keySet()) {
			if (byName.containsKey(name)) {
				throw new IllegalArgumentException("Executor '" + name + "' is both built by Eddy and supplied by the application");
			}
		}
		return new NamedExecutors(byName, new LinkedHashMap<>(external));
	}

	/**
	 * The executor with that name.
	 * @param name the name
	 * @return the executor
	 * @throws IllegalArgumentException naming the known executors and the fix when none has that
	 * name
	 */
	public Executor get(String name) {
		Executor executor = find(name);
		if (executor == null) {
			throw new IllegalArgumentException("No executor named '" + name + "'; known: " + names() + "; configure eddy.executors."
					+ name + ".* (for example eddy.executors." + name + ".max-size=8) or define an Executor bean named '" + name + "'");
		}
		return executor;
	}

	/**
	 * @param name the name
	 * @return the executor with that name, or null
	 */
	public @Nullable Executor find(String name) {
		Objects.requireNonNull(name, "name");
		NamedExecutor own = this.managed.get(name);
		return (own != null) ? own : this.external.get(name);
	}

	/** @return every name, Eddy's first */
	public Set<String> names() {
		Set<String> names = new java.util.LinkedHashSet<>(this.managed.keySet());
		names.addAll(this.external.keySet());
		return Collections.unmodifiableSet(names);
	}

	/** @return the executors Eddy built, by name */
	public Map<String, NamedExecutor> managed() {
		return this.managed;
	}

	/**
	 * Shuts down every executor Eddy built, in parallel; returns when all are done. Executors the
	 * application supplied are left to it.
	 */
	@Override
	public void close() {
		List<Thread> closers = new ArrayList<>();
		for (NamedExecutor executor : this.managed.values()) {
			Thread closer = new Thread(executor::close, "eddy-close-" + executor.name());
			closers.add(closer);
			closer.start();
		}
		boolean interrupted = false;
		for (Thread closer : closers) {
			while (true) {
				try {
					closer.join();
					break;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "NamedExecutors" + names();
	}

}
