package dev.eddy;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Architecture rules of {@code eddy-spring-boot}: the runtime packages stay usable without Spring
 * or Micrometer (DESIGN §1).
 */
@AnalyzeClasses(packages = "dev.eddy", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule runtimePackagesAreSpringAndMicrometerFree = noClasses().that()
		.resideInAnyPackage("dev.eddy.loop..", "dev.eddy.concurrent..", "dev.eddy.executor..",
				"dev.eddy.unobserved..", "dev.eddy.internal..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework..", "io.micrometer..")
		.because("the runtime packages are Spring-free (DESIGN §1)");

}
