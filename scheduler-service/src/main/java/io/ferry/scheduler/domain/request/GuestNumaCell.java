package io.ferry.scheduler.domain.request;

/**
 * One guest NUMA cell: its vCPUs, memory, whether the vCPUs are pinned ({@code hw:cpu_policy=dedicated})
 * and the page size backing its memory ({@code hw:mem_page_size}; 0 = small pages).
 */
public record GuestNumaCell(int vcpus, long memoryMb, boolean pinned, int pageSizeKb) {

    public GuestNumaCell {
        if (vcpus <= 0 || memoryMb <= 0 || pageSizeKb < 0) {
            throw new IllegalArgumentException("invalid guest cell: vcpus=" + vcpus
                    + " memoryMb=" + memoryMb + " pageSizeKb=" + pageSizeKb);
        }
    }

    public boolean usesHugePages() {
        return pageSizeKb > 0;
    }
}
