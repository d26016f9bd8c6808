package io.ferry.agent.domain.sim;

import java.time.Duration;

/** How a migration job ended. Only {@link GuestLost} leaves the instance without a running guest. */
public sealed interface Outcome {

    /** The guest runs on the destination. */
    record Completed(Duration downtime, Duration totalTime, ByteSize dataSent, long iterations, boolean viaPostCopy)
            implements Outcome {
    }

    /** Aborted on request; the guest keeps running on the source, untouched. */
    record Cancelled(String reason) implements Outcome {
    }

    /** The migration failed before the switchover; the guest keeps running on the source. */
    record Failed(String reason) implements Outcome {
    }

    /** The guest is gone: its memory was split between hosts (post-copy) or its host died. */
    record GuestLost(String reason) implements Outcome {
    }
}
