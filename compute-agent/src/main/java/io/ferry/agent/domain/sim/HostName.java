package io.ferry.agent.domain.sim;

/** The name of a simulated hypervisor host. */
public record HostName(String value) {

    public HostName {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a host name must not be blank");
        }
    }

    public static HostName of(String value) {
        return new HostName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
