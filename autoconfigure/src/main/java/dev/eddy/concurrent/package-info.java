/**
 * Loop-bound futures and the {@code tornado.concurrent} utilities: {@code LoopFuture} with
 * asyncio semantics, {@code Futures}, {@code ExcInfo}, {@code InvalidStateException} and the
 * {@code @RunOnExecutor} annotation (Tornado's {@code run_on_executor}). Spring-free: this package
 * depends on nothing from {@code org.springframework} or {@code io.micrometer}.
 */
@NullMarked
package dev.eddy.concurrent;

import org.jspecify.annotations.NullMarked;
