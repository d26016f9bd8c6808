package io.ferry.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The rules catch what they are meant to catch (checked on a deliberately bad sample under this package). */
class FerryArchitectureRulesTest {

    @Test
    void aDomainClassThatImportsKafkaOrReadsTheWallClockFailsTheCheck() {
        assertThatThrownBy(() -> FerryArchitectureRules.check("io.ferry.architecture.sample",
                new ClassFileImporter().importPackages("io.ferry.architecture.sample")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.apache.kafka")
                .hasMessageContaining("currentTimeMillis");
    }
}
