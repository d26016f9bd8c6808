package io.ferry.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRevocationStoreTest {

    @TempDir
    Path dir;

    @Test
    void keepsWhatWasSavedLastOnlyItsOwnerMayReadItAndLeavesNoTemporaryFile() throws Exception {
        // given no file yet
        Path file = dir.resolve("state").resolve("fernet-keys.revoked");
        FileRevocationStore store = new FileRevocationStore(file);
        assertThat(store.load()).isEmpty();

        // when revocations are saved twice
        store.save(Map.of("audit-1", Instant.ofEpochMilli(1_000), "audit-2", Instant.ofEpochMilli(2_000)));
        store.save(Map.of("audit-2", Instant.ofEpochMilli(2_000), "audit-3", Instant.ofEpochMilli(3_000)));

        // then a new store over the file reads the last ones
        assertThat(new FileRevocationStore(file).load()).isEqualTo(
                Map.of("audit-2", Instant.ofEpochMilli(2_000), "audit-3", Instant.ofEpochMilli(3_000)));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void refusesAFileItCannotReadRatherThanForgetTheRevocations() throws Exception {
        // given a damaged file
        Path file = dir.resolve("revoked");
        Files.writeString(file, "audit-1 1000\naudit-2 not-a-time\n");

        // then loading it fails, naming the line
        assertThatThrownBy(() -> new FileRevocationStore(file).load())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("line 2").hasMessageContaining(file.toString());
    }
}
