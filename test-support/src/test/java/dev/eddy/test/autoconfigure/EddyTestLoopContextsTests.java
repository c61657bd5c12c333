package dev.eddy.test.autoconfigure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import dev.eddy.test.EddyAwait;
import dev.eddy.test.InnerTest;
import dev.eddy.test.InnerTests;
import dev.eddy.test.TestLoop;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/**
 * Two test classes with two Spring contexts, run in one engine execution on one thread while
 * Spring caches both contexts. With a plain {@code EventLoop.onCurrentThread} loop bean the first
 * context's loop stays current on JUnit's thread and the second class's {@code @RunOnExecutor}
 * future binds to it (D-4 falls back to the default loop only off every loop thread) and never
 * completes; with {@link EddyTestLoop} the loop is current only during its own tests.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EddyTestLoopContextsTests {

	@Test
	void withTestLoop_secondContextBindsToItsOwnLoop() {
		EngineExecutionResults results = InnerTests.run(FirstWithTestLoop.class, SecondContext.class);

		results.testEvents().assertStatistics((stats) -> stats.started(3).succeeded(3).failed(0));
		assertThat(EventLoop.currentOrNull()).as("loop current on JUnit's thread after both classes").isNull();
	}

	@Test
	void withPlainOnCurrentThreadBean_secondContextBindsToTheCachedLoop() {
		try {
			EngineExecutionResults results = InnerTests.run(FirstWithPlainLoop.class, SecondContext.class);

			// Today's behaviour, the reason for @EddyTestLoop: the second class fails.
			results.testEvents()
				.assertThatEvents()
				.haveExactly(1, event(test("futureIsBoundToThisContextsLoop"), finishedWithFailure(
						message((text) -> text.contains("LoopFuture[loop=leaky-loop]")))));
			assertThat(EventLoop.currentOrNull()).as("the plain loop stays current after its class").isNotNull();
		}
		finally {
			EventLoop leaked = FirstWithPlainLoop.loop;
			if (leaked != null) {
				leaked.close(); // on its owning thread: it stops being current here
			}
		}
		assertThat(EventLoop.currentOrNull()).isNull();
	}

	@Configuration(proxyBeanMethods = false)
	static class QuotesConfiguration {

		@Bean
		Quotes quotes() {
			return new Quotes();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LeakyLoopConfiguration {

		@Bean
		EventLoop eddyLoop() {
			EventLoop loop = EventLoop.onCurrentThread("leaky-loop");
			FirstWithPlainLoop.loop = loop;
			return loop;
		}

	}

	@InnerTest
	@Order(1)
	@SpringJUnitConfig(QuotesConfiguration.class)
	@AutoConfigureEddy
	@EddyTestLoop
	static class FirstWithTestLoop {

		@Autowired
		EventLoop loop;

		@Autowired
		Quotes quotes;

		@Autowired
		NamedExecutors executors;

		@BeforeEach
		void loopIsCurrentFromBeforeEach() {
			assertThat(EventLoop.current()).isSameAs(this.loop);
		}

		@Test
		void driveTheFutureStepByStep() {
			assertThat(TestLoop.isTestLoop(this.loop)).isTrue();
			LoopFuture<String> future = this.quotes.quote("ACME");
			assertThat(future.loop()).isSameAs(this.loop);
			EddyAwait.atMost(Duration.ofSeconds(10)).untilIdle(this.loop, this.executors);
			assertThat(future.result()).startsWith("ACME=42 on eddy-executor");
		}

		@Test
		void runSyncDrivesTheLoopOnItsThread() throws Exception {
			assertThat(this.loop.runSync(() -> this.quotes.quote("INIT"), Duration.ofSeconds(10))).startsWith("INIT=42");
		}

	}

	@InnerTest
	@Order(1)
	@SpringJUnitConfig({ QuotesConfiguration.class, LeakyLoopConfiguration.class })
	@AutoConfigureEddy
	static class FirstWithPlainLoop {

		static volatile @Nullable EventLoop loop;

		@Autowired
		Quotes quotes;

		@Test
		void usesItsLoop() throws Exception {
			assertThat(EventLoop.current()).isSameAs(loop);
			assertThat(EventLoop.current().runSync(() -> this.quotes.quote("ACME"), Duration.ofSeconds(10))).startsWith("ACME");
		}

	}

	/** Another context: Eddy's own thread-owning loop. */
	@InnerTest
	@Order(2)
	@SpringJUnitConfig(QuotesConfiguration.class)
	@AutoConfigureEddy
	static class SecondContext {

		@Autowired
		EventLoop loop;

		@Autowired
		Quotes quotes;

		@Test
		void futureIsBoundToThisContextsLoop() throws Exception {
			LoopFuture<String> future = this.quotes.quote("ACME");
			assertThat(future.loop()).as(future.toString()).isSameAs(this.loop);
			assertThat(future.toCompletableFuture().get(10, TimeUnit.SECONDS)).startsWith("ACME=42");
		}

	}

}
