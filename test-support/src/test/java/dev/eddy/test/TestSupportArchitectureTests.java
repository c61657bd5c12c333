package dev.eddy.test;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** {@code dev.eddy.test} stays usable without Spring (DESIGN §7); the Spring part lives in {@code .autoconfigure}. */
@AnalyzeClasses(packages = "dev.eddy.test", importOptions = ImportOption.DoNotIncludeTests.class)
class TestSupportArchitectureTests {

	@ArchTest
	static final ArchRule junitSupportIsSpringFree = noClasses().that()
		.resideInAPackage("dev.eddy.test")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework..", "io.micrometer..")
		.because("dev.eddy.test is the Spring-free part of the test support");

}
