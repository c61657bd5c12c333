package dev.eddy.test;

import dev.eddy.loop.EventLoop;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test method its own {@link TestLoop} named {@value #LOOP_NAME}, current on the test's
 * thread from before {@code @BeforeEach} until after {@code @AfterEach}, and injected into any
 * parameter of type {@link EventLoop}. After the test the loop is unbound and closed (it drains
 * what is queued), so nothing of one test's loop reaches the next test.
 * <pre>{@code
 * @ExtendWith(TestLoopExtension.class)
 * class PriceTests {
 *     @Test
 *     void price(EventLoop loop) {
 *         LoopFuture<Integer> future = loop.newFuture();
 *         future.addDoneCallback((done) -> ...);
 *         future.setResult(42);
 *         loop.runUntilIdle();              // runs the callback, here, now
 *     }
 * }
 * }</pre>
 * <p>The loop is owned by the thread that runs {@code @BeforeEach}; a test run on another thread
 * (for example {@code @Timeout(threadMode = SEPARATE_THREAD)}) cannot drive it and is told so.
 * <p>Thread-safe.
 */
public final class TestLoopExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

	/** Name of the loop each test gets. */
	public static final String LOOP_NAME = "test-loop";

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestLoopExtension.class);

	/** Creates the extension; JUnit does this for {@code @ExtendWith(TestLoopExtension.class)}. */
	public TestLoopExtension() {
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		EventLoop loop = TestLoop.create(LOOP_NAME);
		TestLoop.Binding binding = TestLoop.bind(loop);
		context.getStore(NAMESPACE).put(Scope.class, new Scope(loop, binding));
	}

	@Override
	public void afterEach(ExtensionContext context) {
		Scope scope = context.getStore(NAMESPACE).remove(Scope.class, Scope.class);
		if (scope != null) {
			try {
				scope.binding.close();
			}
			finally {
				scope.loop.close();
			}
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == EventLoop.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		@Nullable Scope scope = extensionContext.getStore(NAMESPACE).get(Scope.class, Scope.class);
		if (scope == null) {
			throw new ParameterResolutionException("TestLoopExtension gives an EventLoop to test methods and lifecycle methods "
					+ "of each test (@BeforeEach, @AfterEach), not to " + parameterContext.getDeclaringExecutable());
		}
		return scope.loop;
	}

	private record Scope(EventLoop loop, TestLoop.Binding binding) {
	}

}
