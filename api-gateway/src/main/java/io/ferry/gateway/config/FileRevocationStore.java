package io.ferry.gateway.config;

import io.ferry.gateway.app.RevocationStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code ferry.identity.revocation-file}: one revoked token per line, its audit id and when it expires (epoch
 * milliseconds), written whole to a temporary file and moved over the old one, mode 600. A file that cannot be read
 * stops the gateway: starting without its revocations would make revoked tokens valid again.
 */
final class FileRevocationStore implements RevocationStore {

    private final Path file;

    FileRevocationStore(Path file) {
        this.file = file;
    }

    @Override
    public Map<String, Instant> load() {
        if (!Files.exists(file)) {
            return Map.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token revocations in " + file, e);
        }
        Map<String, Instant> revocations = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split(" ");
            try {
                if (fields.length != 2 || fields[0].isEmpty()) {
                    throw new NumberFormatException();
                }
                revocations.put(fields[0], Instant.ofEpochMilli(Long.parseLong(fields[1])));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("ferry.identity.revocation-file: line " + (i + 1) + " of " + file
                        + " is not '<audit id> <expiry in epoch ms>'");
            }
        }
        return revocations;
    }

    @Override
    public void save(Map<String, Instant> revocations) {
        String text = revocations.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().toEpochMilli() + "\n")
                .collect(Collectors.joining());
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temporary = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the directory's own permissions protect it
                }
                Files.writeString(temporary, text);
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the token revocations to " + file, e);
        }
    }
}
