package io.ferry.scheduler.domain.host;

/**
 * Where one guest NUMA cell lands on a host: the host cell id, the pinned CPUs it takes there (0 when
 * unpinned), its memory and the page size (0 = small pages).
 */
public record CellPlacement(int hostCellId, int pinnedCpus, long memoryMb, int pageSizeKb) {
}
