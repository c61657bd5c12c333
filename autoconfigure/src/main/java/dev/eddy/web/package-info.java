/**
 * Eddy in the web layer: {@code LoopFuture} as the return value of Spring MVC and WebFlux handler
 * methods, {@code LoopFuture} to and from Reactor's {@code Mono}, and a Jackson guard that refuses
 * to write a future as JSON.
 */
@NullMarked
package dev.eddy.web;

import org.jspecify.annotations.NullMarked;
