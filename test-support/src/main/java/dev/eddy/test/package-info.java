/**
 * Test support for code that uses Eddy, without Spring: {@link dev.eddy.test.FailOnUnobservedFailures}
 * fails a test in which a failed future was dropped unobserved, {@link dev.eddy.test.TestLoop} is
 * a deterministic event loop current only while a test runs, and {@link dev.eddy.test.EddyAwait}
 * waits, bounded, until named executors and a loop are idle. Spring-free: this package depends on
 * nothing from {@code org.springframework}.
 */
@NullMarked
package dev.eddy.test;

import org.jspecify.annotations.NullMarked;
