package dev.eddy.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input in {@code eddy.*} keys and enum values: a typo fails startup naming the key and the
 * nearest known one; relaxed forms of known keys pass.
 */
class UnknownEddyPropertiesTests {

	@Test
	void whenAnExecutorKeyHasATypoShouldFailNamingItAndTheNearestKey() {
		EddyRunners.runner().withPropertyValues("eddy.executors.io.max-sze=2").run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).isInstanceOf(UnknownEddyPropertyException.class)
				.hasMessage("'eddy.executors.io.max-sze' is not a known Eddy property (set in \"eddy.executors.io.max-sze\" from"
						+ " property source \"test\"); did you mean 'eddy.executors.io.max-size'?");
			FailureAnalysis analysis = new UnknownEddyPropertyFailureAnalyzer().analyze(failure);
			assertThat(analysis.getAction()).isEqualTo("Rename 'eddy.executors.io.max-sze' to 'eddy.executors.io.max-size' if that"
					+ " is what you meant, or remove it; an IDE completes every Eddy property from the starter's configuration"
						+ " metadata, and Eddy's configuration reference (docs/configuration.md in its repository) lists them.");
		});
	}

	@Test
	void whenAnExecutorNameHasADotShouldFailSayingSoWithoutClaimingABeanWasReplaced() {
		EddyRunners.runner().withPropertyValues("eddy.executors.a.b.max-size=2").run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).isInstanceOf(UnknownEddyPropertyException.class)
				.hasMessage("'eddy.executors.a.b.max-size' (set in \"eddy.executors.a.b.max-size\" from property source \"test\")"
						+ " names executor 'a.b', but an executor name is one segment of the key, without '.', so it"
						+ " configures no executor; write 'eddy.executors.a-b.max-size'");
			FailureAnalysis analysis = new UnknownEddyPropertyFailureAnalyzer().analyze(failure);
			assertThat(analysis.getDescription() + analysis.getAction()).doesNotContainIgnoringCase("replace");
			assertThat(analysis.getAction()).contains("'eddy.executors.a-b.max-size'");
		});
	}

	@Test
	void whenALoopKeyHasATypoShouldFailNamingTheNearestKey() {
		EddyRunners.runner().withPropertyValues("eddy.loop.drain-timout=5s").run((context) -> assertThat(context)
			.getFailure()
			.hasMessageEndingWith("did you mean 'eddy.loop.drain-timeout'?"));
	}

	@Test
	void whenTheExecutorsGroupHasATypoShouldSuggestTheKeyOfTheSameExecutor() {
		// found by a new user: the suggestion was 'eddy.executors.executor.max-size', dropping their executor's name
		EddyRunners.runner().withPropertyValues("eddy.exectors.io.max-size=2").run((context) -> assertThat(context)
			.getFailure()
			.hasMessageEndingWith("did you mean 'eddy.executors.io.max-size'?"));
	}

	@Test
	void whenADefaultsKeyHasATypoShouldFailNamingTheNearestKey() {
		EddyRunners.runner().withPropertyValues("eddy.executor-defaults.queue-capasity=5").run((context) -> assertThat(context)
			.getFailure()
			.hasMessageEndingWith("did you mean 'eddy.executor-defaults.queue-capacity'?"));
	}

	@Test
	void whenAGroupHasATypoShouldFailNamingTheNearestKey() {
		EddyRunners.runner().withPropertyValues("eddy.lopp.debug=true").run((context) -> assertThat(context)
			.getFailure()
			.hasMessageEndingWith("did you mean 'eddy.loop.debug'?"));
	}

	@Test
	void whenKeysAreUnderAnotherNamespaceBelowEddyShouldLeaveThemAlone() {
		EddyRunners.runner()
			.withPropertyValues("eddy.demo.classpath-file=x", "eddy.e2e.logs=y")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void whenKeysAreKnownInAnyRelaxedFormShouldStart() {
		EddyRunners.runner()
			.withPropertyValues("eddy.executors.io.maxSize=2", "eddy.executors.io.core-size=1", "eddy.loop.blocked-is-down=true",
					"eddy.executor-defaults.queue-capacity=5", "eddy.run-on-executor.enabled=true")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("env", Map.of("EDDY_EXECUTORS_IO_KEEPALIVE", "5s"))))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void whenAnEnumValueIsWrongShouldListTheAllowedValues() throws Exception {
		// Boot's own analyzer of bind failures (package-private) is what reports it in a Boot application.
		var constructor = Class.forName("org.springframework.boot.diagnostics.analyzer.BindFailureAnalyzer").getDeclaredConstructor();
		constructor.setAccessible(true);
		FailureAnalyzer analyzer = (FailureAnalyzer) constructor.newInstance();
		EddyRunners.runner().withPropertyValues("eddy.executors.io.kind=virtal").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyzer.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Property: eddy.executors.io.kind", "Value: \"virtal\"");
			assertThat(analysis.getAction()).startsWith("Update your application's configuration. The following values are valid:")
				.contains("\n    PLATFORM\n    VIRTUAL");
		});
	}

	@Test
	void levenshteinDistance() {
		assertThat(UnknownEddyProperties.distance("max-sze", "max-size")).isEqualTo(1);
		assertThat(UnknownEddyProperties.distance("", "abc")).isEqualTo(3);
		assertThat(UnknownEddyProperties.distance("kitten", "sitting")).isEqualTo(3);
	}

	@Test
	void knownKeys_includeGeneratedAndAdditionalMetadata() {
		assertThat(UnknownEddyProperties.knownKeys(getClass().getClassLoader())).contains("eddy.loop.drain-timeout",
				"eddy.executor-defaults.max-size", "eddy.executors.executor.kind")
			.allMatch((key) -> key.startsWith("eddy."));
	}

}
