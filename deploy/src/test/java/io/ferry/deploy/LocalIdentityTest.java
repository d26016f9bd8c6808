package io.ferry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.gateway.app.PasswordHash;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalIdentityTest {

    @TempDir
    Path dir;

    @Test
    void generatesDistinctPasswordsAndHandsTheGatewayOnlyHashes() {
        LocalIdentity identity = LocalIdentity.loadOrCreate(dir);

        var properties = identity.gatewayProperties(5000);

        assertThat(identity.admin().password()).isNotEqualTo(identity.member().password()).hasSize(36);
        assertThat(properties.values()).doesNotContain(identity.admin().password(), identity.member().password());
        assertThat(PasswordHash.matches(identity.admin().password(),
                (String) properties.get("ferry.identity.users[0].password-hash"))).isTrue();
        assertThat(properties.get("ferry.identity.users[1].project")).isEqualTo("demo");
    }

    @Test
    void keepsThePasswordsOfTheFirstStart() throws Exception {
        LocalIdentity first = LocalIdentity.loadOrCreate(dir);
        first.writeClientFiles("http://127.0.0.1:5000/v3");

        LocalIdentity second = LocalIdentity.loadOrCreate(dir);

        assertThat(second.admin().password()).isEqualTo(first.admin().password());
        assertThat(second.member().password()).isEqualTo(first.member().password());
        assertThat(Files.readString(dir.resolve("openrc"))).contains("OS_AUTH_URL='http://127.0.0.1:5000/v3'");
    }

    @Test
    void givesEveryStartOfTheGatewayTheSameFernetKeyRepository() {
        // a gateway restarted with the same repository accepts the tokens it issued before
        Object first = LocalIdentity.loadOrCreate(dir).gatewayProperties(5000).get("ferry.identity.fernet-key-repository");
        Object second = LocalIdentity.loadOrCreate(dir).gatewayProperties(5001).get("ferry.identity.fernet-key-repository");

        assertThat(first).isEqualTo(second).isEqualTo(dir.resolve("fernet-keys").toAbsolutePath().toString());
    }
}
