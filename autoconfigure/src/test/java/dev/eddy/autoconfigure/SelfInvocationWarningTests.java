package dev.eddy.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.eddy.concurrent.RunOnExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bean calling its own {@code @RunOnExecutor} method bypasses the proxy (as with
 * {@code @Async}): startup warns once per call site, naming caller, callee and the fix.
 */
@ExtendWith(OutputCaptureExtension.class)
class SelfInvocationWarningTests {

	@Test
	void whenBeanCallsItsOwnRunOnExecutorMethodShouldWarnNamingCallerAndCallee(CapturedOutput output) {
		EddyRunners.runner().withBean(SelfCalling.class).run((context) -> {
			assertThat(context).hasNotFailed();
			String caller = Thread.currentThread().getName();
			// What the warning is about: the self-call ran on the caller's thread.
			assertThat(context.getBean(SelfCalling.class).renderWrong().join()).isEqualTo(caller);
		});
		assertThat(output).contains("SelfInvocationWarningTests.SelfCalling#renderWrong calls SelfInvocationWarningTests.SelfCalling#render: "
				+ "a call from inside the same bean bypasses Spring's proxy, so the @RunOnExecutor method runs on the caller's thread, "
				+ "as a self-call of @Async does; call it through the proxy (inject ObjectProvider<SelfInvocationWarningTests.SelfCalling> "
				+ "and call getObject()) or move it to another bean");
		assertThat(output).contains("SelfInvocationWarningTests.SelfCalling#renderLater (in a lambda) calls SelfInvocationWarningTests.SelfCalling#render");
	}

	@Test
	void whenBeanCallsItselfThroughItsProxyShouldNotWarn(CapturedOutput output) {
		EddyRunners.runner().withBean(NoSelfCall.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(NoSelfCall.class).renderThroughProxy().join()).isEqualTo("plain");
		});
		assertThat(output).doesNotContain("bypasses Spring's proxy");
	}

	public static class SelfCalling {

		@RunOnExecutor
		public CompletableFuture<String> render() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		public CompletableFuture<String> renderWrong() {
			return render();
		}

		public Supplier<CompletableFuture<String>> renderLater() {
			return () -> render();
		}

	}

	public static class NoSelfCall {

		private final org.springframework.beans.factory.ObjectProvider<NoSelfCall> self;

		public NoSelfCall(org.springframework.beans.factory.ObjectProvider<NoSelfCall> self) {
			this.self = self;
		}

		public CompletableFuture<String> renderThroughProxy() {
			return this.self.getObject().render();
		}

		@RunOnExecutor
		public CompletableFuture<String> render() {
			return CompletableFuture.completedFuture(helper());
		}

		public String helper() {
			return "plain";
		}

	}

}
