package dev.eddy.test;

import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs {@link InnerTest} classes through JUnit's {@code EngineTestKit}. */
public final class InnerTests {

	private InnerTests() {
	}

	/**
	 * Runs inner test classes in one engine execution, in order, on the calling thread.
	 * @param classes the classes
	 * @return the results
	 */
	public static org.junit.platform.testkit.engine.EngineExecutionResults run(Class<?>... classes) {
		org.junit.platform.engine.DiscoverySelector[] selectors = new org.junit.platform.engine.DiscoverySelector[classes.length];
		for (int i = 0; i < classes.length; i++) {
			selectors[i] = org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(classes[i]);
		}
		return EngineTestKit.engine("junit-jupiter")
			.configurationParameter(InnerTest.PARAMETER, "true")
			.configurationParameter("junit.jupiter.testclass.order.default",
					"org.junit.jupiter.api.ClassOrderer$OrderAnnotation")
			.selectors(selectors)
			.execute();
	}

}
