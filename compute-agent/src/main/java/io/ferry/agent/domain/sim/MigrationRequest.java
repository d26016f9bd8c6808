package io.ferry.agent.domain.sim;

/** Migrate {@code guest} from {@code source} to {@code destination}. */
public record MigrationRequest(Guest guest, HostName source, HostName destination, MigrationSettings settings) {

    public MigrationRequest {
        if (source.equals(destination)) {
            throw new IllegalArgumentException("source and destination are both " + source);
        }
    }
}
