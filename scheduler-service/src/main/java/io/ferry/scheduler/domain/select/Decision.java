package io.ferry.scheduler.domain.select;

import io.ferry.scheduler.domain.HostName;
import java.util.List;
import java.util.Objects;

/** The scheduler's answer for one request. */
public sealed interface Decision permits Decision.Selected, Decision.NoValidHost, Decision.NotMigratable {

    /** The chosen destination and up to N alternates, best first (Nova's alternates, same cell). */
    record Selected(HostName host, List<HostName> alternates) implements Decision {
        public Selected {
            Objects.requireNonNull(host, "host");
            alternates = List.copyOf(alternates);
        }
    }

    /** No host passed; {@code filterCounts} says which filter removed how many hosts, in order. */
    record NoValidHost(String reason, List<FilterCount> filterCounts) implements Decision {
        public NoValidHost {
            Objects.requireNonNull(reason, "reason");
            filterCounts = List.copyOf(filterCounts);
        }
    }

    /** The instance cannot be live migrated at all (pre-check); no host was tried. */
    record NotMigratable(String reason) implements Decision {
        public NotMigratable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
