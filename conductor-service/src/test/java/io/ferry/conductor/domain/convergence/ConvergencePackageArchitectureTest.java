package io.ferry.conductor.domain.convergence;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The convergence policies are pure domain code: only the JDK and the domain, and no clock. */
class ConvergencePackageArchitectureTest {

    private static final JavaClasses POLICIES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ferry.conductor.domain.convergence");

    @Test
    void policiesDependOnlyOnTheJdkAndTheDomain() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "io.ferry.conductor.domain..")
                .check(POLICIES);
    }

    @Test
    void policiesNeverReadTheTime() {
        noClasses().should().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().dependOnClassesThat().areAssignableTo(Clock.class)
                .check(POLICIES);
    }
}
