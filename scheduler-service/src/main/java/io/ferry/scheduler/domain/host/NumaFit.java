package io.ferry.scheduler.domain.host;

import io.ferry.scheduler.domain.request.GuestNumaCell;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fits a guest NUMA topology onto a host's cells, as Nova's {@code numa_fit_instance_to_host}: each
 * guest cell needs its own host cell with enough free pinned CPUs (pinned guests) or enough CPUs
 * (unpinned), and enough free memory of the requested page size. Tries every assignment
 * (backtracking; guests have a handful of cells) and returns the first that fits, lowest cell ids first.
 */
public final class NumaFit {

    private NumaFit() {
    }

    /** The placements, one per guest cell in order, or null when no assignment fits. */
    public static List<CellPlacement> fit(List<NumaCell> hostCells, List<GuestNumaCell> guestCells) {
        if (guestCells.isEmpty()) {
            return List.of();
        }
        if (guestCells.size() > hostCells.size()) {
            return null;
        }
        int[] chosen = new int[guestCells.size()];
        boolean[] used = new boolean[hostCells.size()];
        Arrays.fill(chosen, -1);
        if (!assign(0, hostCells, guestCells, chosen, used)) {
            return null;
        }
        List<CellPlacement> placements = new ArrayList<>(guestCells.size());
        for (int g = 0; g < guestCells.size(); g++) {
            GuestNumaCell guest = guestCells.get(g);
            placements.add(new CellPlacement(hostCells.get(chosen[g]).id(),
                    guest.pinned() ? guest.vcpus() : 0, guest.memoryMb(), guest.pageSizeKb()));
        }
        return placements;
    }

    private static boolean assign(int g, List<NumaCell> hosts, List<GuestNumaCell> guests, int[] chosen, boolean[] used) {
        if (g == guests.size()) {
            return true;
        }
        GuestNumaCell guest = guests.get(g);
        for (int h = 0; h < hosts.size(); h++) {
            if (!used[h] && fits(hosts.get(h), guest)) {
                used[h] = true;
                chosen[g] = h;
                if (assign(g + 1, hosts, guests, chosen, used)) {
                    return true;
                }
                used[h] = false;
            }
        }
        return false;
    }

    /** Whether one guest cell fits one host cell. */
    public static boolean fits(NumaCell host, GuestNumaCell guest) {
        boolean cpusFit = guest.pinned() ? host.freePcpus() >= guest.vcpus() : host.cpus() >= guest.vcpus();
        if (!cpusFit) {
            return false;
        }
        long free = guest.usesHugePages() ? host.freeHugePagesMb(guest.pageSizeKb()) : host.freeMemoryMb();
        return free >= guest.memoryMb();
    }
}
