package io.ferry.scheduler;

import io.ferry.architecture.FerryArchitectureRules;
import org.junit.jupiter.api.Test;

/** This module keeps Ferry's boundaries: a plain-Java domain, a clock instead of the wall clock, independent adapters. */
class ArchitectureTest {

    @Test
    void keepsTheDomainPlainAndTheAdaptersApart() {
        FerryArchitectureRules.check("io.ferry.scheduler");
    }
}
