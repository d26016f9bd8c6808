package io.ferry.conductor.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code ferry.conductor.*}: the migration settings passed to agents (Nova's option names, Nova's defaults). */
@ConfigurationProperties("ferry.conductor")
public class ConductorProperties {

    /** live_migration_downtime: the largest max-downtime the policy may set, in ms. */
    private long liveMigrationDowntime = 500;
    /** live_migration_downtime_steps: the first limit in force is downtime / steps. */
    private int liveMigrationDowntimeSteps = 10;
    /** live_migration_bandwidth in MiB/s; 0 = unlimited. */
    private long liveMigrationBandwidth = 0;
    /** live_migration_permit_auto_converge. */
    private boolean liveMigrationPermitAutoConverge = false;
    /** live_migration_permit_post_copy. */
    private boolean liveMigrationPermitPostCopy = false;
    /** live_migration_timeout_action: abort or force_complete. */
    private String liveMigrationTimeoutAction = "abort";
    /** Alternates to ask the scheduler for. */
    private int maxAlternates = 2;

    public long getLiveMigrationDowntime() { return liveMigrationDowntime; }
    public void setLiveMigrationDowntime(long v) { this.liveMigrationDowntime = v; }
    public int getLiveMigrationDowntimeSteps() { return liveMigrationDowntimeSteps; }
    public void setLiveMigrationDowntimeSteps(int v) { this.liveMigrationDowntimeSteps = v; }
    public long getLiveMigrationBandwidth() { return liveMigrationBandwidth; }
    public void setLiveMigrationBandwidth(long v) { this.liveMigrationBandwidth = v; }
    public boolean isLiveMigrationPermitAutoConverge() { return liveMigrationPermitAutoConverge; }
    public void setLiveMigrationPermitAutoConverge(boolean v) { this.liveMigrationPermitAutoConverge = v; }
    public boolean isLiveMigrationPermitPostCopy() { return liveMigrationPermitPostCopy; }
    public void setLiveMigrationPermitPostCopy(boolean v) { this.liveMigrationPermitPostCopy = v; }
    public String getLiveMigrationTimeoutAction() { return liveMigrationTimeoutAction; }
    public void setLiveMigrationTimeoutAction(String v) { this.liveMigrationTimeoutAction = v; }
    public int getMaxAlternates() { return maxAlternates; }
    public void setMaxAlternates(int v) { this.maxAlternates = v; }

    /** The first max-downtime in force, as Nova starts its step schedule. */
    public long initialDowntimeMs() {
        return Math.max(1, liveMigrationDowntime / Math.max(1, liveMigrationDowntimeSteps));
    }
}
