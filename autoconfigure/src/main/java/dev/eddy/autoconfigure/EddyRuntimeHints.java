package dev.eddy.autoconfigure;

import java.util.List;

import dev.eddy.concurrent.RunOnExecutor;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What Eddy itself reads reflectively, for Spring AOT and GraalVM native images: the
 * {@code @RunOnExecutor} aspect's advice, the annotation, the failure analyzers Boot instantiates
 * from {@code spring.factories}, the Java 21 virtual-thread factory that Eddy reaches by
 * reflection (it compiles against Java 17), and the configuration metadata read when an unknown
 * {@code eddy.*} key is reported. What depends on application classes (executor fields and
 * getters) comes from {@link RunOnExecutorBeanRegistrationAotProcessor}. Registered in
 * {@code META-INF/spring/aot.factories}.
 */
final class EddyRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection().registerType(RunOnExecutor.class, MemberCategory.INVOKE_PUBLIC_METHODS);
		hints.reflection().registerType(RunOnExecutorFailureAnalyzer.class, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
		hints.reflection().registerType(InvalidExecutorSpecFailureAnalyzer.class, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
		hints.reflection().registerType(UnknownEddyPropertyFailureAnalyzer.class, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
		// NamedExecutor.virtualThreads: Thread.ofVirtual().name(prefix, 0).factory(), by reflection.
		hints.reflection().registerType(Thread.class, (type) -> type.withMethod("ofVirtual", List.of(), ExecutableMode.INVOKE));
		hints.reflection()
			.registerType(TypeReference.of("java.lang.Thread$Builder"),
					(type) -> type
						.withMethod("name", List.of(TypeReference.of(String.class), TypeReference.of(long.class)), ExecutableMode.INVOKE)
						.withMethod("factory", List.of(), ExecutableMode.INVOKE));
		hints.resources().registerPattern(UnknownEddyProperties.METADATA);
		hints.resources().registerPattern(UnknownEddyProperties.ADDITIONAL_METADATA);
	}

}
