package io.ferry.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The boundaries every service keeps (STYLE.md): {@code domain} is plain Java, adapters do not lean on each other,
 * and the domain takes time from an injected clock. Each module's architecture test checks its own classes with
 * {@link #check(String)}.
 */
public final class FerryArchitectureRules {

    private FerryArchitectureRules() {
    }

    /** Imports the production classes under {@code basePackage}. */
    public static JavaClasses classesOf(String basePackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(basePackage);
    }

    /** The rules, for a service whose code lives under {@code basePackage}. */
    public static List<ArchRule> rules(String basePackage) {
        String domain = basePackage + ".domain..";
        return List.of(
                noClasses().that().resideInAPackage(domain)
                        .should().dependOnClassesThat().resideOutsideOfPackages(domain, "java..")
                        .because("the domain is plain Java: no Spring, Kafka, Avro, Jackson, libvirt or logging")
                        .allowEmptyShould(true),
                noClasses().that().resideInAPackage(domain)
                        .should().callMethod(System.class, "currentTimeMillis")
                        .orShould().callMethod(System.class, "nanoTime")
                        .orShould().callMethod(Instant.class, "now")
                        .orShould().callMethod(LocalDateTime.class, "now")
                        .because("the domain takes time from an injected clock")
                        .allowEmptyShould(true),
                slices().matching(basePackage + ".adapter.(*)..").should().notDependOnEachOther()
                        .because("adapters meet only through the app layer's ports")
                        .allowEmptyShould(true));
    }

    /** Checks every rule against the production classes under {@code basePackage}; throws naming each violation. */
    public static void check(String basePackage) {
        check(basePackage, classesOf(basePackage));
    }

    /** Checks every rule against {@code classes}; one error lists the violations of all rules. */
    public static void check(String basePackage, JavaClasses classes) {
        StringBuilder failures = new StringBuilder();
        for (ArchRule rule : rules(basePackage)) {
            var result = rule.evaluate(classes);
            if (result.hasViolation()) {
                failures.append(result.getFailureReport()).append('\n');
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.toString());
        }
    }
}
