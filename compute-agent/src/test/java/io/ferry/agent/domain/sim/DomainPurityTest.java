package io.ferry.agent.domain.sim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class DomainPurityTest {

    private static final JavaClasses SIM = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ferry.agent.domain.sim");

    @Test
    void theSimulatorDependsOnlyOnTheJdkAndTheDomain() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "io.ferry.agent.domain..")
                .check(SIM);
    }

    @Test
    void theSimulatorNeverReadsTheWallClock() {
        noClasses().should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .check(SIM);
    }
}
