package io.ferry.gateway.config;

import io.ferry.gateway.app.FernetTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ferry.identity.fernet-key-repository}: a directory of Fernet keys laid out as Keystone's
 * {@code [fernet_tokens] key_repository}: one key per file, files named 0, 1, 2...; the highest number is the
 * primary key (it seals new tokens), every key opens tokens. An empty or missing directory gets a key {@code 0}
 * (mode 600), as {@code keystone-manage fernet_setup} would make. To rotate: add a file with a higher number,
 * restart, and remove the old one once the tokens it sealed have expired ({@code ferry.identity.token-ttl}).
 */
final class FernetKeyRepository {

    private FernetKeyRepository() {
    }

    /** The keys of {@code dir}, the primary first; creates the directory and a first key when there is none. */
    static List<String> load(Path dir, SecureRandom random) {
        try {
            Files.createDirectories(dir);
            List<Path> files = keyFiles(dir);
            if (files.isEmpty()) {
                Path first = dir.resolve("0");
                Files.writeString(first, FernetTokens.newKey(random));
                try {
                    Files.setPosixFilePermissions(first, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the directory's own permissions protect it
                }
                files = List.of(first);
            }
            return files.stream().map(FernetKeyRepository::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Fernet key repository " + dir, e);
        }
    }

    private static List<Path> keyFiles(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().matches("\\d{1,9}") && Files.isRegularFile(p))
                    .sorted(Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString()))
                            .reversed())
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            String key = Files.readString(file).strip();
            if (!FernetTokens.isKey(key)) {
                throw new IllegalStateException("ferry.identity.fernet-key-repository: " + file
                        + " is not a Fernet key (32 bytes in base64url)");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
