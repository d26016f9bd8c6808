package io.ferry.gateway;

import io.ferry.architecture.FerryArchitectureRules;
import org.junit.jupiter.api.Test;

class GatewayArchitectureTest {

    @Test
    void keepsTheDomainPlainAndTheAdaptersApart() {
        FerryArchitectureRules.check("io.ferry.gateway");
    }
}
