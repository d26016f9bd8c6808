package io.ferry.scheduler.domain.host;

import java.util.ArrayList;
import java.util.List;

/** One host NUMA cell: its CPUs and how many are pinned, its memory and huge page pools. */
public record NumaCell(int id, int cpus, int pinnedCpus, long memoryMb, long usedMemoryMb, List<HugePages> hugePages) {

    public NumaCell {
        if (cpus < 0 || pinnedCpus < 0 || memoryMb < 0 || usedMemoryMb < 0) {
            throw new IllegalArgumentException("invalid NUMA cell " + id);
        }
        hugePages = List.copyOf(hugePages);
    }

    public int freePcpus() {
        return cpus - pinnedCpus;
    }

    public long freeMemoryMb() {
        return memoryMb - usedMemoryMb;
    }

    /** Free memory in pages of {@code sizeKb}, or 0 when the cell has no such pool. */
    public long freeHugePagesMb(int sizeKb) {
        for (HugePages pages : hugePages) {
            if (pages.sizeKb() == sizeKb) {
                return pages.freeMb();
            }
        }
        return 0;
    }

    /** This cell with a placement's pinned CPUs and memory taken. */
    public NumaCell plus(CellPlacement placement) {
        if (placement.pageSizeKb() == 0) {
            return new NumaCell(id, cpus, pinnedCpus + placement.pinnedCpus(), memoryMb,
                    usedMemoryMb + placement.memoryMb(), hugePages);
        }
        List<HugePages> pools = new ArrayList<>(hugePages.size());
        for (HugePages pages : hugePages) {
            pools.add(pages.sizeKb() == placement.pageSizeKb() ? pages.plusUsedMb(placement.memoryMb()) : pages);
        }
        return new NumaCell(id, cpus, pinnedCpus + placement.pinnedCpus(), memoryMb, usedMemoryMb, pools);
    }
}
