package io.ferry.messaging;

/**
 * A condition a service adds to its readiness, beyond its listener containers having their partitions: e.g. the
 * gateway's read models having replayed their topics. {@link ReadinessFile} waits for every such bean.
 */
@FunctionalInterface
public interface ReadinessCheck {

    boolean isReady();
}
