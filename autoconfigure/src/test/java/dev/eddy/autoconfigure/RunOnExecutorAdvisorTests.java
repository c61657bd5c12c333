package dev.eddy.autoconfigure;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.eddy.aop.RunOnExecutorAspect;
import dev.eddy.aop.RunOnExecutorMethods;
import dev.eddy.concurrent.LoopFuture;
import dev.eddy.concurrent.RunOnExecutor;
import dev.eddy.internal.Dispatcher;
import dev.eddy.loop.EventLoop;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.interceptor.ExposeInvocationInterceptor;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RunOnExecutorAspect} as a plain advisor ({@code MethodInterceptor} and static pointcut,
 * as {@code @Async}'s): what the proxy holds, that it creates nothing early, that inner AspectJ
 * advice still runs on the pool thread, and that an advisor the application declares instead is
 * used.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class RunOnExecutorAdvisorTests {

	@Test
	void whenOnlyEddyAdvisesShouldHoldItsAdvisorAloneWithoutAspectJMachinery(CapturedOutput output) throws Exception {
		EddyRunners.runner().withUserConfiguration(Plain.class).run((context) -> {
			assertThat(context).hasNotFailed();
			Service service = context.getBean(Service.class);
			Advisor[] advisors = ((Advised) service).getAdvisors();
			assertThat(advisors).as("the proxy's chain").hasSize(1);
			assertThat(advisors[0]).isSameAs(context.getBean(EddyRunOnExecutorAutoConfiguration.ASPECT_BEAN));
			assertThat(advisors[0].getAdvice()).isSameAs(advisors[0]);
			assertThat(service.where().get(10, TimeUnit.SECONDS)).startsWith("eddy-executor");
			assertThat(service.notAnnotated()).as("a method outside the pointcut runs on the caller")
				.isEqualTo(Thread.currentThread().getName());
		});
		// The auto-proxy creator makes every Advisor bean while post-processors are still being registered: the
		// advisor is infrastructure and resolves its collaborators lazily, so nothing is made too early.
		assertThat(output).doesNotContain("is not eligible for getting processed by all BeanPostProcessors");
	}

	@Test
	void whenAnAspectJAspectAlsoAdvisesShouldRunItInsideOnThePoolThread() {
		EddyRunners.runner().withUserConfiguration(Plain.class, WithAspect.class).run((context) -> {
			assertThat(context).hasNotFailed();
			Service service = context.getBean(Service.class);
			assertThat(Arrays.stream(((Advised) service).getAdvisors()).map(Advisor::getAdvice))
				.as("ExposeInvocationInterceptor first, then Eddy's, then the aspect's")
				.first()
				.isSameAs(ExposeInvocationInterceptor.INSTANCE);
			assertThat(service.where().get(10, TimeUnit.SECONDS)).as("the aspect saw the pool thread")
				.startsWith("aspect on eddy-executor");
		});
	}

	@Test
	void whenTheApplicationDeclaresTheAdvisorShouldStartAndUseIt() {
		EddyRunners.runner().withUserConfiguration(Plain.class, OwnAdvisor.class).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(EddyRunOnExecutorAutoConfiguration.ASPECT_BEAN);
			LoopFuture<String> future = context.getBean(Service.class).onLoop();
			assertThat(future.toCompletableFuture().get(10, TimeUnit.SECONDS)).startsWith("eddy-executor");
		});
	}

	public static class Service {

		@RunOnExecutor
		public CompletableFuture<String> where() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnExecutor
		public LoopFuture<String> onLoop() {
			return LoopFuture.completed(Thread.currentThread().getName());
		}

		public String notAnnotated() {
			return Thread.currentThread().getName();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Plain {

		@Bean
		Service service() {
			return new Service();
		}

	}

	@Aspect
	static class PrefixingAspect {

		@Around("execution(* dev.eddy.autoconfigure.RunOnExecutorAdvisorTests.Service.where())")
		Object prefix(ProceedingJoinPoint joinPoint) throws Throwable {
			String thread = Thread.currentThread().getName();
			CompletableFuture<?> result = (CompletableFuture<?>) joinPoint.proceed();
			return result.thenApply((ignored) -> "aspect on " + thread);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WithAspect {

		@Bean
		PrefixingAspect prefixingAspect() {
			return new PrefixingAspect();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnAdvisor {

		@Bean
		RunOnExecutorAspect myAdvisor(RunOnExecutorMethods methods, EventLoop loop, UnobservedFailureDetector detector) {
			return new RunOnExecutorAspect(methods, new Dispatcher(loop, detector, null));
		}

	}

}
