package io.ferry.scheduler.domain;

import java.util.Objects;

/** A compute host's name, as the compute service reports it. */
public record HostName(String value) implements Comparable<HostName> {

    public HostName {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("host name must not be blank");
        }
    }

    public static HostName of(String value) {
        return new HostName(value);
    }

    @Override
    public int compareTo(HostName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
