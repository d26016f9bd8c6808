package io.ferry.conductor.domain.drain;

import io.ferry.conductor.domain.convergence.Bandwidth;
import java.util.Map;

/**
 * What {@link io.ferry.conductor.domain.MigrationSlots} needs to know of running drains: for each migration of a
 * drain its ticket, and for each source host being drained its {@link StreamRule}. A drain's migrations start in plan
 * order within the rule instead of the per-source limit; the cluster and destination limits still apply.
 *
 * @param tickets by migration uuid
 * @param rules   by source host
 */
public record DrainAdmission(Map<String, Ticket> tickets, Map<String, StreamRule> rules) {

    /**
     * A migration's place in its drain.
     *
     * @param rank            its start order in the plan
     * @param needed          the stream rate it must never fall below
     * @param waitsForEarlier an earlier migration of the drain has not been recorded yet (its command is on its way):
     *                        wait, so the plan's order holds whatever order the commands arrive in
     * @param held            it is prepared and its start is held back until the NIC rule lets it stream
     */
    public record Ticket(String drainId, int rank, Bandwidth needed, boolean waitsForEarlier, boolean held) {

        public Ticket(String drainId, int rank, Bandwidth needed, boolean waitsForEarlier) {
            this(drainId, rank, needed, waitsForEarlier, false);
        }
    }

    public DrainAdmission {
        tickets = Map.copyOf(tickets);
        rules = Map.copyOf(rules);
    }

    public static DrainAdmission none() {
        return new DrainAdmission(Map.of(), Map.of());
    }
}
