package io.ferry.scheduler.domain.filter;

import java.util.Objects;

/** A filter's verdict on one host. */
public sealed interface FilterResult permits FilterResult.Pass, FilterResult.Reject {

    /** The single pass value: passing allocates nothing. */
    Pass PASS = new Pass();

    static FilterResult pass() {
        return PASS;
    }

    static FilterResult reject(String reason) {
        return new Reject(reason);
    }

    default boolean passed() {
        return this instanceof Pass;
    }

    record Pass() implements FilterResult {
    }

    record Reject(String reason) implements FilterResult {
        public Reject {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
