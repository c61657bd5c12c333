package dev.eddy.autoconfigure;

import java.util.List;
import java.util.concurrent.Executor;

import dev.eddy.aop.RunOnExecutorAspect;
import dev.eddy.concurrent.RunOnExecutor;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.ExecutableHint;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeHint;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each hint Eddy ships, checked with {@link RuntimeHintsPredicates}.
 */
class EddyRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	EddyRuntimeHintsTests() {
		new EddyRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void theAdvisorIsNotReflectedOn() {
		// A MethodInterceptor called directly by the proxy, unlike the AspectJ advice method it replaced.
		assertThat(this.hints.reflection().getTypeHint(RunOnExecutorAspect.class)).isNull();
	}

	@Test
	void theAnnotationsAttributesMayBeRead() {
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(RunOnExecutor.class, "value")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(RunOnExecutor.class, "executor")).accepts(this.hints);
	}

	@Test
	void theFailureAnalyzersMayBeInstantiated() throws Exception {
		for (Class<?> analyzer : List.of(RunOnExecutorFailureAnalyzer.class, InvalidExecutorSpecFailureAnalyzer.class,
				UnknownEddyPropertyFailureAnalyzer.class)) {
			assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(analyzer.getDeclaredConstructor()))
				.as(analyzer.getSimpleName())
				.accepts(this.hints);
		}
	}

	@Test
	void theVirtualThreadFactoryMayBeReachedByReflection() {
		// Thread.ofVirtual and Thread.Builder do not exist on Java 17, so these hints are read by name there.
		if (Runtime.version().feature() >= 21) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Thread.class, "ofVirtual")).accepts(this.hints);
		}
		assertThat(this.hints.reflection().getTypeHint(Thread.class).methods())
			.extracting(ExecutableHint::getName, ExecutableHint::getMode)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("ofVirtual", ExecutableMode.INVOKE));
		TypeHint builder = this.hints.reflection().getTypeHint(TypeReference.of("java.lang.Thread$Builder"));
		assertThat(builder).isNotNull();
		assertThat(builder.methods()).extracting(ExecutableHint::getName, ExecutableHint::getParameterTypes, ExecutableHint::getMode)
			.containsExactlyInAnyOrder(
					org.assertj.core.groups.Tuple.tuple("name", List.of(TypeReference.of(String.class), TypeReference.of(long.class)),
							ExecutableMode.INVOKE),
					org.assertj.core.groups.Tuple.tuple("factory", List.of(), ExecutableMode.INVOKE));
	}

	@Test
	void theConfigurationMetadataMayBeRead() {
		assertThat(RuntimeHintsPredicates.resource().forResource(UnknownEddyProperties.METADATA)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource().forResource(UnknownEddyProperties.ADDITIONAL_METADATA)).accepts(this.hints);
	}

	@Test
	void whenABeanHasRunOnExecutorMethodsItsExecutorFieldsAndGettersMayBeRead() {
		RuntimeHints beanHints = new RuntimeHints();
		RunOnExecutorBeanRegistrationAotProcessor.registerHints(beanHints.reflection(), Annotated.class);
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(Annotated.class, "pool")).accepts(beanHints);
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(Base.class, "inherited")).accepts(beanHints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Annotated.class, "getOther")).accepts(beanHints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Annotated.class).withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS))
			.accepts(beanHints);
		assertThat(RuntimeHintsPredicates.reflection().onField(Annotated.class, "name")).rejects(beanHints);
	}

	@Test
	void whenABeanHasNoRunOnExecutorMethodsNothingIsContributed() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("plain", new RootBeanDefinition(Base.class));
		beanFactory.registerBeanDefinition("annotated", new RootBeanDefinition(Annotated.class));
		RunOnExecutorBeanRegistrationAotProcessor processor = new RunOnExecutorBeanRegistrationAotProcessor();
		assertThat(processor.processAheadOfTime(RegisteredBean.of(beanFactory, "plain"))).isNull();
		assertThat(processor.processAheadOfTime(RegisteredBean.of(beanFactory, "annotated"))).isNotNull();
	}

	static class Base {

		Executor inherited;

	}

	static class Annotated extends Base {

		Executor pool;

		String name;

		public Executor getOther() {
			return this.pool;
		}

		@RunOnExecutor("${anything}")
		public void work() {
		}

	}

}
