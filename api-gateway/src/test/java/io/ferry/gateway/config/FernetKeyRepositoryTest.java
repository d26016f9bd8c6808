package io.ferry.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.gateway.app.FernetTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FernetKeyRepositoryTest {

    @TempDir
    Path dir;
    private final SecureRandom random = new SecureRandom();

    @Test
    void makesAFirstKeyThatOnlyItsOwnerMayReadAndLoadsTheSameOneNextTime() throws Exception {
        // given an empty repository
        Path repository = dir.resolve("fernet-keys");

        // when
        List<String> first = FernetKeyRepository.load(repository, random);
        List<String> again = FernetKeyRepository.load(repository, random);

        // then
        assertThat(first).hasSize(1).allMatch(FernetTokens::isKey);
        assertThat(again).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(repository.resolve("0"))))
                .isEqualTo("rw-------");
    }

    @Test
    void theHighestNumberedKeyIsThePrimary() throws Exception {
        // given keys 0, 2 and 10 (numbers, not text, decide)
        String k0 = FernetTokens.newKey(random);
        String k2 = FernetTokens.newKey(random);
        String k10 = FernetTokens.newKey(random);
        Files.writeString(dir.resolve("0"), k0);
        Files.writeString(dir.resolve("2"), k2 + "\n");
        Files.writeString(dir.resolve("10"), k10);
        Files.writeString(dir.resolve("README"), "not a key");

        // when / then
        assertThat(FernetKeyRepository.load(dir, random)).containsExactly(k10, k2, k0);
    }

    @Test
    void refusesAFileThatIsNotAFernetKey() throws Exception {
        Files.writeString(dir.resolve("1"), "secret");

        assertThatThrownBy(() -> FernetKeyRepository.load(dir, random))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not a Fernet key")
                .hasMessageNotContaining("secret");
    }
}
