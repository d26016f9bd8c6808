package io.ferry.scheduler.domain.request;

/** A server group's policy, as Nova names them. */
public enum GroupPolicy {
    AFFINITY,
    ANTI_AFFINITY,
    SOFT_AFFINITY,
    SOFT_ANTI_AFFINITY
}
