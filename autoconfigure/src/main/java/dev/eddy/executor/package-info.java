/**
 * Named thread pools: {@code ExecutorSpec} describes a pool and {@code NamedExecutors} is the
 * registry that creates, looks up and shuts down pools by name, as {@code @RunOnExecutor} methods
 * refer to them. Spring-free: this package depends on nothing from {@code org.springframework} or
 * {@code io.micrometer}.
 */
@NullMarked
package dev.eddy.executor;

import org.jspecify.annotations.NullMarked;
