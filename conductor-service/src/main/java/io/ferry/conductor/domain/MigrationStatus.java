package io.ferry.conductor.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * A live migration's status, spelled as Nova reports it. Each status lists the statuses it may go to; anything
 * else is a programming error ({@link IllegalTransitionException}).
 */
public enum MigrationStatus {
    /** Recorded by the API, not yet seen by a conductor. */
    ACCEPTED("accepted"),
    /** Waiting for a slot (per-host and cluster limits). */
    QUEUED("queued"),
    /** Pre-checks, scheduling, destination preparation. */
    PREPARING("preparing"),
    /** The hypervisor streams memory (pre-copy). */
    RUNNING("running"),
    /** The guest runs on the destination; the rest of its memory follows on demand. */
    RUNNING_POST_COPY("running (post-copy)"),
    /** The hypervisor finished: the destination takes over, the source cleans up. */
    POST_MIGRATING("post-migrating"),
    /** Done: the guest runs on the destination. */
    COMPLETED("completed"),
    /** Rolled back: nothing changed, the guest runs on the source. */
    FAILED("failed"),
    /** Aborted by the operator or the policy: the guest runs on the source. */
    CANCELLED("cancelled"),
    /** An unexpected fault mid-way: the record says where the guest is and what to do. */
    ERROR("error");

    private final String novaName;

    MigrationStatus(String novaName) {
        this.novaName = novaName;
    }

    /** The string Nova's API shows. */
    public String novaName() {
        return novaName;
    }

    public static MigrationStatus fromNovaName(String name) {
        for (MigrationStatus status : values()) {
            if (status.novaName.equals(name)) {
                return status;
            }
        }
        throw new IllegalArgumentException("not a migration status: " + name);
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == ERROR;
    }

    /** Nova's in-progress set plus post-copy (which Nova's API hides; Ferry does not). */
    public boolean isInProgress() {
        return !isTerminal();
    }

    /** The statuses this one may move to. */
    public Set<MigrationStatus> next() {
        return switch (this) {
            case ACCEPTED -> EnumSet.of(QUEUED, PREPARING, FAILED, CANCELLED, ERROR);
            case QUEUED -> EnumSet.of(PREPARING, FAILED, CANCELLED, ERROR);
            case PREPARING -> EnumSet.of(RUNNING, FAILED, CANCELLED, ERROR);
            case RUNNING -> EnumSet.of(RUNNING_POST_COPY, POST_MIGRATING, FAILED, CANCELLED, ERROR);
            case RUNNING_POST_COPY -> EnumSet.of(POST_MIGRATING, ERROR);
            case POST_MIGRATING -> EnumSet.of(COMPLETED, ERROR);
            case COMPLETED, FAILED, CANCELLED, ERROR -> EnumSet.noneOf(MigrationStatus.class);
        };
    }

    public boolean canMoveTo(MigrationStatus target) {
        return next().contains(target);
    }
}
