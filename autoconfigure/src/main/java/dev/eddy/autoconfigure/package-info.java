/**
 * Spring Boot auto-configuration: the {@code @AutoConfiguration} classes that wire loops,
 * executors, the aspect, metrics and health, the {@code eddy.*} {@code @ConfigurationProperties},
 * and the failure analyzers that explain startup errors.
 */
@NullMarked
package dev.eddy.autoconfigure;

import org.jspecify.annotations.NullMarked;
