package io.ferry.conductor.domain.convergence;

import java.util.List;

/**
 * What a migration has to move: the guest's RAM and, for a block migration, its local disks.
 *
 * <p>Timeouts and the downtime ramp scale with this size, each engine rounding its own way:
 * <ul>
 *   <li>Nova ({@link #novaDataGb()}): {@code max(RAM GiB, 2)} plus, for block migration,
 *       {@code max(disk GiB, 2)} for every local disk, as a fraction (libvirt driver's
 *       {@code _live_migration_data_gb});</li>
 *   <li>KubeVirt ({@link #kubeVirtDataGb()}): RAM plus local disks for block migration, in decimal
 *       GB rounded up (Kubernetes' {@code Quantity.ScaledValue(Giga)}).</li>
 * </ul>
 *
 * @param ram the flavor's RAM
 * @param localDisks the instance's local disk files (ignored unless {@code blockMigration})
 * @param blockMigration whether the disks are copied too (no shared storage)
 */
public record GuestFootprint(ByteSize ram, List<ByteSize> localDisks, boolean blockMigration) {

    private static final double NOVA_MIN_GIB_PER_DEVICE = 2.0;

    public GuestFootprint {
        if (ram == null || localDisks == null) {
            throw new IllegalArgumentException("ram and localDisks are required");
        }
        if (ram.isZero()) {
            throw new IllegalArgumentException("a guest has RAM");
        }
        localDisks = List.copyOf(localDisks);
    }

    /** A guest on shared storage: only its RAM moves. */
    public static GuestFootprint ofRam(ByteSize ram) {
        return new GuestFootprint(ram, List.of(), false);
    }

    /** A block migration of a guest with local disks. */
    public static GuestFootprint blockMigration(ByteSize ram, List<ByteSize> localDisks) {
        return new GuestFootprint(ram, localDisks, true);
    }

    /** Nova's {@code data_gb}: GiB of RAM and (block migration) disk, each device at least 2 GiB. */
    public double novaDataGb() {
        double dataGb = Math.max(ram.toGiB(), NOVA_MIN_GIB_PER_DEVICE);
        if (blockMigration) {
            for (ByteSize disk : localDisks) {
                dataGb += Math.max(disk.toGiB(), NOVA_MIN_GIB_PER_DEVICE);
            }
        }
        return dataGb;
    }

    /** KubeVirt's migration data size: decimal GB of RAM (plus local disks when block), rounded up. */
    public long kubeVirtDataGb() {
        long bytes = ram.bytes();
        if (blockMigration) {
            for (ByteSize disk : localDisks) {
                bytes = Math.addExact(bytes, disk.bytes());
            }
        }
        return (bytes + 999_999_999L) / 1_000_000_000L;
    }
}
