package io.ferry.conductor;

import io.ferry.architecture.FerryArchitectureRules;
import org.junit.jupiter.api.Test;

/** The conductor keeps Ferry's layering: a plain-Java domain, adapters independent of each other. */
class ConductorArchitectureTest {

    @Test
    void keepsTheDomainFreeOfEdgesAndTheAdaptersApart() {
        FerryArchitectureRules.check("io.ferry.conductor");
    }
}
