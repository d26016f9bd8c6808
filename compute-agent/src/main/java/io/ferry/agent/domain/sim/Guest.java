package io.ferry.agent.domain.sim;

/**
 * A simulated VM.
 *
 * @param name              the instance name
 * @param ram               M, the guest's memory size
 * @param zeroPageFraction  z, the share of memory that is zero pages (each costs only a header)
 * @param workload          what the guest does while it is migrated
 * @param localDisk         size of non-shared disks copied by a block migration (zero when shared)
 * @param diskWriteRate     how fast the guest writes its local disks (the mirror must keep up)
 */
public record Guest(String name, ByteSize ram, double zeroPageFraction, Workload workload,
                    ByteSize localDisk, Bandwidth diskWriteRate) {

    /** QEMU target page size on x86. */
    public static final long PAGE_SIZE = 4096;
    /** Bytes on the wire for a zero page: an 8-byte page header and a 1-byte fill value. */
    public static final long ZERO_PAGE_WIRE_BYTES = 9;

    public Guest {
        if (!(zeroPageFraction >= 0 && zeroPageFraction <= 1)) {
            throw new IllegalArgumentException("the zero-page fraction must be in [0, 1]: " + zeroPageFraction);
        }
        if (ram.bytes() == 0) {
            throw new IllegalArgumentException("a guest needs memory");
        }
    }

    /** A guest with shared storage (no block migration payload). */
    public static Guest of(String name, ByteSize ram, double zeroPageFraction, Workload workload) {
        return new Guest(name, ram, zeroPageFraction, workload, ByteSize.ZERO, Bandwidth.ZERO);
    }

    /**
     * M', what round 0 puts on the wire: every non-zero page in full, every zero page as a header.
     * Headers of normal pages (8 bytes per 4 KiB, 0.2%) are neglected.
     */
    public double firstRoundBytes() {
        double zeroBytes = ram.bytes() * zeroPageFraction;
        return ram.bytes() - zeroBytes + zeroBytes / PAGE_SIZE * ZERO_PAGE_WIRE_BYTES;
    }

    public Guest withDisk(ByteSize size, Bandwidth writeRate) {
        return new Guest(name, ram, zeroPageFraction, workload, size, writeRate);
    }
}
