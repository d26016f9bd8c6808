package io.ferry.agent.domain.sim;

import java.time.Duration;

/**
 * How one migration is asked to run, as libvirt's flags and parameters say it.
 *
 * @param bandwidthCap       the migration's own cap ({@code live_migration_bandwidth}); zero = unlimited
 * @param maxDowntime        the downtime limit L in force at start (QEMU's default is 300 ms);
 *                           changeable at run time
 * @param switchoverCost     fixed part of every pause: device state, resume, network announce
 * @param autoConverge       {@code VIR_MIGRATE_AUTO_CONVERGE}
 * @param postCopyPermitted  {@code VIR_MIGRATE_POSTCOPY}: the switch may be requested later
 * @param blockMigration     copy non-shared disks first ({@code VIR_MIGRATE_NON_SHARED_DISK})
 */
public record MigrationSettings(Bandwidth bandwidthCap, Duration maxDowntime, Duration switchoverCost,
                                boolean autoConverge, boolean postCopyPermitted, boolean blockMigration) {

    public static final Duration DEFAULT_MAX_DOWNTIME = Duration.ofMillis(300);
    public static final Duration DEFAULT_SWITCHOVER_COST = Duration.ofMillis(30);

    public MigrationSettings {
        if (maxDowntime.isNegative() || switchoverCost.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    public static MigrationSettings defaults() {
        return new MigrationSettings(Bandwidth.ZERO, DEFAULT_MAX_DOWNTIME, DEFAULT_SWITCHOVER_COST,
                false, false, false);
    }

    public MigrationSettings withBandwidthCap(Bandwidth cap) {
        return new MigrationSettings(cap, maxDowntime, switchoverCost, autoConverge, postCopyPermitted, blockMigration);
    }

    public MigrationSettings withMaxDowntime(Duration limit) {
        return new MigrationSettings(bandwidthCap, limit, switchoverCost, autoConverge, postCopyPermitted, blockMigration);
    }

    public MigrationSettings withSwitchoverCost(Duration cost) {
        return new MigrationSettings(bandwidthCap, maxDowntime, cost, autoConverge, postCopyPermitted, blockMigration);
    }

    public MigrationSettings withAutoConverge(boolean on) {
        return new MigrationSettings(bandwidthCap, maxDowntime, switchoverCost, on, postCopyPermitted, blockMigration);
    }

    public MigrationSettings withPostCopyPermitted(boolean on) {
        return new MigrationSettings(bandwidthCap, maxDowntime, switchoverCost, autoConverge, on, blockMigration);
    }

    public MigrationSettings withBlockMigration(boolean on) {
        return new MigrationSettings(bandwidthCap, maxDowntime, switchoverCost, autoConverge, postCopyPermitted, on);
    }
}
