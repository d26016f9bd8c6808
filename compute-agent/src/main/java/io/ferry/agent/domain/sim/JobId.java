package io.ferry.agent.domain.sim;

/** A migration job inside one {@link SimulatedHypervisor}; numbered from 1 in start order. */
public record JobId(long value) {

    @Override
    public String toString() {
        return "job-" + value;
    }
}
