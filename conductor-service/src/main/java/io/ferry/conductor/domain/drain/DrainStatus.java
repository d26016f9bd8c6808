package io.ferry.conductor.domain.drain;

/** Where a drain stands. */
public enum DrainStatus {
    /** A dry run: the plan only; nothing starts. Final. */
    PLANNED("planned"),
    /** Its migrations start as the plan's rule admits them. May go to stopping, completed. */
    RUNNING("running"),
    /** The operator stopped it: no further migration starts; running ones finish. May go to stopped. */
    STOPPING("stopping"),
    /** Every migration of it ended (some may have failed: see the counts). Final. */
    COMPLETED("completed"),
    /** Stopped by the operator and every started migration ended. Final. */
    STOPPED("stopped"),
    /** The drain could not be planned (unknown host). Final. */
    FAILED("failed");

    private final String wireName;

    DrainStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean isFinal() {
        return this == PLANNED || this == COMPLETED || this == STOPPED || this == FAILED;
    }
}
