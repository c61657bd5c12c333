package dev.eddy;

import java.util.function.Consumer;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.eddy.loop.HandOffExecutor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Architecture rules of {@code eddy-spring-boot}: the runtime packages stay usable without Spring
 * or Micrometer (DESIGN §1), and the packages form no dependency cycle (issue 13).
 */
@AnalyzeClasses(packages = "dev.eddy", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	private static final String[] RUNTIME = { "dev.eddy.loop..", "dev.eddy.concurrent..", "dev.eddy.executor..",
			"dev.eddy.unobserved..", "dev.eddy.internal.." };

	@ArchTest
	static final ArchRule runtimePackagesAreSpringAndMicrometerFree = noClasses().that()
		.resideInAnyPackage(RUNTIME)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework..", "io.micrometer..")
		.because("the runtime packages are Spring-free (DESIGN §1)");

	@ArchTest
	static final ArchRule internalDoesNotDependOnExecutor = noClasses().that()
		.resideInAPackage("dev.eddy.internal..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.eddy.executor..")
		.because("the loop and the dispatcher reach a pool's abandon callback through dev.eddy.loop.HandOffExecutor, "
				+ "so that internal -> executor -> loop -> internal is no cycle (issue 13)");

	@ArchTest
	static final ArchRule runtimeCoreDoesNotDependOnExecutor = noClasses().that()
		.resideInAnyPackage("dev.eddy.loop..", "dev.eddy.concurrent..", "dev.eddy.unobserved..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.eddy.executor..")
		.because("dev.eddy.executor builds on the loop, not the other way round (issue 13)");

	@ArchTest
	static final ArchRule onlyExecutorHopSendsWorkToAHandOffExecutor = noClasses().that()
		.resideOutsideOfPackage("dev.eddy.executor..")
		.and()
		.doNotHaveFullyQualifiedName("dev.eddy.internal.ExecutorHop")
		.should()
		.callMethod(HandOffExecutor.class, "execute", Runnable.class, Consumer.class)
		.because("one road sends work to a pool: ExecutorHop delivers the outcome, rethrows to count it, and wires the "
				+ "abandon callback, for runInExecutor and @RunOnExecutor alike (issue 13)");

	@ArchTest
	static final ArchRule onlyHandOffsAndNewFutureMakeLoopFutures = noClasses().that()
		.doNotHaveFullyQualifiedName("dev.eddy.internal.HandOffs")
		.and()
		.doNotHaveFullyQualifiedName("dev.eddy.internal.DefaultEventLoop")
		.should()
		.callConstructor("dev.eddy.internal.DefaultLoopFuture", "dev.eddy.internal.DefaultEventLoop", "java.lang.Throwable")
		.because("a future that waits on another thread is made and registered by HandOffs, so that a close cancels it; "
				+ "EventLoop.newFuture makes the others (issue 13)");

	/**
	 * No cycle among the packages of {@code dev.eddy}, with the runtime core taken as one unit:
	 * {@code loop} and {@code concurrent} name each other by design ({@code EventLoop.newFuture()}
	 * returns a {@code LoopFuture}, {@code LoopFuture.loop()} an {@code EventLoop}; Netty keeps
	 * the pair in one package), and {@code internal} implements both and {@code unobserved}
	 * behind their factories. Every edge between that core and {@code executor}, {@code aop},
	 * {@code autoconfigure}, {@code micrometer} and {@code actuate}, and among those, counts.
	 */
	@ArchTest
	static final ArchRule packagesAreFreeOfCycles = slices().assignedFrom(new SliceAssignment() {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			String name = javaClass.getPackageName();
			if (!name.startsWith("dev.eddy.")) {
				return SliceIdentifier.ignore();
			}
			String top = name.substring("dev.eddy.".length()).split("\\.")[0];
			return switch (top) {
				case "loop", "concurrent", "unobserved", "internal" -> SliceIdentifier.of("runtime core");
				default -> SliceIdentifier.of(top);
			};
		}

		@Override
		public String getDescription() {
			return "the runtime core (loop, concurrent, unobserved, internal) and each other package of dev.eddy";
		}

	}).should().beFreeOfCycles().because("a cycle ties packages that should change apart (issue 13)");

}
