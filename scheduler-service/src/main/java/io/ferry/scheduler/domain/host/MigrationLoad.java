package io.ferry.scheduler.domain.host;

/** Live migrations in flight into and out of the host. */
public record MigrationLoad(int incoming, int outgoing) {

    public static final MigrationLoad NONE = new MigrationLoad(0, 0);

    public MigrationLoad {
        if (incoming < 0 || outgoing < 0) {
            throw new IllegalArgumentException("negative migration count");
        }
    }

    public int total() {
        return incoming + outgoing;
    }
}
