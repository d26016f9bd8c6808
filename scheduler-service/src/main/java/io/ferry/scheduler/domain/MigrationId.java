package io.ferry.scheduler.domain;

import java.util.Objects;
import java.util.UUID;

/** The migration's uuid: the key of every claim. */
public record MigrationId(UUID value) {

    public MigrationId {
        Objects.requireNonNull(value, "value");
    }

    public static MigrationId of(String uuid) {
        return new MigrationId(UUID.fromString(uuid));
    }

    public static MigrationId random() {
        return new MigrationId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
