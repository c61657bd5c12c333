package dev.eddy.test.autoconfigure;

import java.util.Map;

import dev.eddy.loop.EventLoop;
import dev.eddy.test.TestLoop;
import dev.eddy.test.UnobservedFailuresExtension;
import dev.eddy.unobserved.UnobservedFailureDetector;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Registered for every Spring test by {@code META-INF/spring.factories}; does nothing in a
 * context without Eddy. Before each test method it lets {@code @FailOnUnobservedFailures} hear
 * the context's unobserved-failure detectors, and makes the context's {@link TestLoop}s (see
 * {@link EddyTestLoop}) current on the test's thread; after the test method it releases them, so
 * a cached context's loop is never current while another context's test runs.
 * <p>Thread-safe (stateless; per-test state lives in the {@link TestContext}).
 */
public final class EddyTestExecutionListener implements TestExecutionListener, Ordered {

	/** Runs after Spring's own listeners that prepare the context and before transactions begin. */
	public static final int ORDER = 3_500;

	private static final String BINDINGS = EddyTestExecutionListener.class.getName() + ".bindings";

	/** Creates the listener; Spring does this from {@code spring.factories}. */
	public EddyTestExecutionListener() {
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		for (UnobservedFailureDetector detector : context.getBeansOfType(UnobservedFailureDetector.class, false, false)
			.values()) {
			UnobservedFailuresExtension.watch(detector);
		}
		Map<String, EventLoop> loops = context.getBeansOfType(EventLoop.class, false, false);
		java.util.List<TestLoop.Binding> bindings = new java.util.ArrayList<>();
		for (EventLoop loop : loops.values()) {
			if (TestLoop.isTestLoop(loop) && !loop.isTerminated()) {
				try {
					bindings.add(TestLoop.bind(loop));
				}
				catch (IllegalStateException ex) {
					release(bindings);
					throw new IllegalStateException("@EddyTestLoop: " + ex.getMessage()
							+ ". The test runs on another thread than the one that started its context; run it on that thread "
							+ "(no parallel execution, no @Timeout(threadMode = SEPARATE_THREAD))", ex);
				}
			}
		}
		if (!bindings.isEmpty()) {
			testContext.setAttribute(BINDINGS, bindings);
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public void afterTestMethod(TestContext testContext) {
		Object bindings = testContext.removeAttribute(BINDINGS);
		if (bindings instanceof java.util.List<?> list) {
			release((java.util.List<TestLoop.Binding>) list);
		}
	}

	private static void release(java.util.List<TestLoop.Binding> bindings) {
		for (int i = bindings.size() - 1; i >= 0; i--) {
			bindings.get(i).close();
		}
	}

}
