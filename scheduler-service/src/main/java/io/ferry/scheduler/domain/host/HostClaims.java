package io.ferry.scheduler.domain.host;

import io.ferry.scheduler.domain.Resources;
import java.util.ArrayList;
import java.util.List;

/** The sum of a host's open claims: resources, NUMA placements, and how many claims (incoming migrations). */
public record HostClaims(Resources resources, List<CellPlacement> placements, int count) {

    public static final HostClaims NONE = new HostClaims(Resources.ZERO, List.of(), 0);

    public HostClaims {
        placements = List.copyOf(placements);
    }

    public HostClaims plus(Resources more, List<CellPlacement> morePlacements) {
        List<CellPlacement> all = new ArrayList<>(placements);
        all.addAll(morePlacements);
        return new HostClaims(resources.plus(more), all, count + 1);
    }

    public HostClaims minus(Resources less, List<CellPlacement> lessPlacements) {
        List<CellPlacement> rest = new ArrayList<>(placements);
        for (CellPlacement p : lessPlacements) {
            rest.remove(p);
        }
        return new HostClaims(resources.minusFloorZero(less), rest, Math.max(0, count - 1));
    }

    public boolean isEmpty() {
        return count == 0;
    }
}
