package io.ferry.scheduler.domain.host;

import java.util.Map;
import java.util.Objects;

/** A host aggregate the host belongs to, with its metadata. */
public record Aggregate(String name, Map<String, String> metadata) {

    public Aggregate {
        Objects.requireNonNull(name, "name");
        metadata = Map.copyOf(metadata);
    }
}
