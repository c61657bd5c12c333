/**
 * The event loop, Eddy's counterpart of Tornado's {@code IOLoop}: {@code EventLoop}, a single
 * thread that runs callbacks, timeouts and future hand-offs in order, and its exceptions.
 * Spring-free: this package depends on nothing from {@code org.springframework} or
 * {@code io.micrometer}.
 */
@NullMarked
package dev.eddy.loop;

import org.jspecify.annotations.NullMarked;
