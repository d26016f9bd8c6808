package io.ferry.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void matchesOnlyThePasswordItWasMadeFromAndNeverContainsIt() {
        String hash = PasswordHash.hash("correct horse", new SecureRandom());

        assertThat(hash).startsWith("pbkdf2-sha256$").doesNotContain("correct horse");
        assertThat(PasswordHash.matches("correct horse", hash)).isTrue();
        assertThat(PasswordHash.matches("correct horsf", hash)).isFalse();
        assertThat(PasswordHash.matches("correct horse", "plain")).isFalse();
    }

    @Test
    void saltsEveryHash() {
        SecureRandom random = new SecureRandom();

        assertThat(PasswordHash.hash("same", random)).isNotEqualTo(PasswordHash.hash("same", random));
    }
}
