package io.ferry.conductor.config;

import io.ferry.conductor.domain.LifecycleSettings;
import io.ferry.conductor.domain.LivenessSettings;
import io.ferry.conductor.domain.SlotLimits;
import io.ferry.conductor.domain.drain.DrainSettings;
import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.convergence.ConvergenceSettings;
import io.ferry.conductor.domain.convergence.PolicyKind;
import io.ferry.conductor.domain.convergence.TimeoutAction;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code ferry.conductor.*}: the migration settings (Nova's option names and defaults where Nova has one, e.g.
 * {@code ferry.conductor.live-migration-downtime} for {@code [libvirt] live_migration_downtime}).
 */
@ConfigurationProperties("ferry.conductor")
public class ConductorProperties {

    /** live_migration_downtime: the downtime target of the step schedule, in ms (Nova: 500, min 100). */
    private long liveMigrationDowntime = 500;
    /** live_migration_downtime_steps (Nova: 10, min 3). */
    private int liveMigrationDowntimeSteps = 10;
    /** live_migration_downtime_delay: seconds between steps, per GiB (Nova: 75, min 3). */
    private long liveMigrationDowntimeDelay = 75;
    /** live_migration_completion_timeout: seconds allowed per GiB (Nova: 800); 0 turns it off. */
    private long liveMigrationCompletionTimeout = 800;
    /** live_migration_bandwidth in MiB/s; 0 = unlimited. */
    private long liveMigrationBandwidth = 0;
    /** live_migration_permit_auto_converge. */
    private boolean liveMigrationPermitAutoConverge = false;
    /** live_migration_permit_post_copy. */
    private boolean liveMigrationPermitPostCopy = false;
    /** live_migration_timeout_action: abort or force_complete. */
    private String liveMigrationTimeoutAction = "abort";
    /** max_concurrent_live_migrations: outgoing live migrations per source host (Nova: 1); 0 = no limit. */
    private int maxConcurrentLiveMigrations = 1;
    /** Ferry: incoming live migrations per destination host; 0 = no limit. */
    private int maxIncomingLiveMigrations = 0;
    /** parallel_migrations_per_cluster: live migrations in the whole cluster; 0 = no limit. */
    private int parallelMigrationsPerCluster = 0;
    /** migrate_max_retries: further destinations after the first refuses; -1 = until no host is left (Nova). */
    private int migrateMaxRetries = -1;
    /** Ferry: the convergence policy: predictive (default), nova, kubevirt. */
    private String convergencePolicy = "predictive";
    /** Ferry: hard ceiling on downtime in ms; 0 = live_migration_downtime. */
    private long maxDowntime = 0;
    /** Ferry: seconds without progress that count as a stall. */
    private long progressStall = 60;
    /** Ferry: estimated fixed switchover cost in ms. */
    private long switchoverCost = 50;
    /** Alternates to ask the scheduler for. */
    private int maxAlternates = 2;
    /** Ferry: the most migrations a drain streams from its host at once. */
    private int drainMaxStreams = 4;
    /** Ferry: a drain never shares the source NIC below dirty rate x this margin for any stream. */
    private double drainConvergenceMargin = 2.0;
    /**
     * Ferry: how long a host a migration waits for may stay silent (no heartbeat, progress or reply) before the
     * migration ends (queued/preparing: failed; running: error with where the guest is); 0 turns it off. Keep it
     * several times {@code ferry.agent.heartbeat-interval} (10 s).
     */
    private Duration hostHeartbeatTimeout = LivenessSettings.DEFAULT_HEARTBEAT_TIMEOUT;
    /**
     * Ferry: added to the completion timeout to make the deadline the source agent enforces on its own (job time);
     * the agent applies live_migration_timeout_action only when the conductor has not acted by then.
     */
    private Duration agentDeadlineMargin = LivenessSettings.DEFAULT_DEADLINE_MARGIN;

    public long getLiveMigrationDowntime() { return liveMigrationDowntime; }
    public void setLiveMigrationDowntime(long v) { this.liveMigrationDowntime = v; }
    public int getLiveMigrationDowntimeSteps() { return liveMigrationDowntimeSteps; }
    public void setLiveMigrationDowntimeSteps(int v) { this.liveMigrationDowntimeSteps = v; }
    public long getLiveMigrationDowntimeDelay() { return liveMigrationDowntimeDelay; }
    public void setLiveMigrationDowntimeDelay(long v) { this.liveMigrationDowntimeDelay = v; }
    public long getLiveMigrationCompletionTimeout() { return liveMigrationCompletionTimeout; }
    public void setLiveMigrationCompletionTimeout(long v) { this.liveMigrationCompletionTimeout = v; }
    public long getLiveMigrationBandwidth() { return liveMigrationBandwidth; }
    public void setLiveMigrationBandwidth(long v) { this.liveMigrationBandwidth = v; }
    public boolean isLiveMigrationPermitAutoConverge() { return liveMigrationPermitAutoConverge; }
    public void setLiveMigrationPermitAutoConverge(boolean v) { this.liveMigrationPermitAutoConverge = v; }
    public boolean isLiveMigrationPermitPostCopy() { return liveMigrationPermitPostCopy; }
    public void setLiveMigrationPermitPostCopy(boolean v) { this.liveMigrationPermitPostCopy = v; }
    public String getLiveMigrationTimeoutAction() { return liveMigrationTimeoutAction; }
    public void setLiveMigrationTimeoutAction(String v) { this.liveMigrationTimeoutAction = v; }
    public int getMaxConcurrentLiveMigrations() { return maxConcurrentLiveMigrations; }
    public void setMaxConcurrentLiveMigrations(int v) { this.maxConcurrentLiveMigrations = v; }
    public int getMaxIncomingLiveMigrations() { return maxIncomingLiveMigrations; }
    public void setMaxIncomingLiveMigrations(int v) { this.maxIncomingLiveMigrations = v; }
    public int getParallelMigrationsPerCluster() { return parallelMigrationsPerCluster; }
    public void setParallelMigrationsPerCluster(int v) { this.parallelMigrationsPerCluster = v; }
    public int getMigrateMaxRetries() { return migrateMaxRetries; }
    public void setMigrateMaxRetries(int v) { this.migrateMaxRetries = v; }
    public String getConvergencePolicy() { return convergencePolicy; }
    public void setConvergencePolicy(String v) { this.convergencePolicy = v; }
    public long getMaxDowntime() { return maxDowntime; }
    public void setMaxDowntime(long v) { this.maxDowntime = v; }
    public long getProgressStall() { return progressStall; }
    public void setProgressStall(long v) { this.progressStall = v; }
    public long getSwitchoverCost() { return switchoverCost; }
    public void setSwitchoverCost(long v) { this.switchoverCost = v; }
    public int getMaxAlternates() { return maxAlternates; }
    public void setMaxAlternates(int v) { this.maxAlternates = v; }
    public int getDrainMaxStreams() { return drainMaxStreams; }
    public void setDrainMaxStreams(int v) { this.drainMaxStreams = v; }
    public double getDrainConvergenceMargin() { return drainConvergenceMargin; }
    public void setDrainConvergenceMargin(double v) { this.drainConvergenceMargin = v; }
    public Duration getHostHeartbeatTimeout() { return hostHeartbeatTimeout; }
    public void setHostHeartbeatTimeout(Duration v) { this.hostHeartbeatTimeout = v; }
    public Duration getAgentDeadlineMargin() { return agentDeadlineMargin; }
    public void setAgentDeadlineMargin(Duration v) { this.agentDeadlineMargin = v; }

    /** How drains are planned. */
    public DrainSettings drain() {
        return DrainSettings.defaults().withMaxStreams(drainMaxStreams).withConvergenceMargin(drainConvergenceMargin);
    }

    /** The settings the domain takes; throws with the option's name when a value is out of Nova's range. */
    public LifecycleSettings lifecycle() {
        Duration downtime = Duration.ofMillis(liveMigrationDowntime);
        ConvergenceSettings convergence = new ConvergenceSettings(downtime, liveMigrationDowntimeSteps,
                Duration.ofSeconds(liveMigrationDowntimeDelay), Duration.ofSeconds(liveMigrationCompletionTimeout),
                TimeoutAction.valueOf(liveMigrationTimeoutAction.toUpperCase(Locale.ROOT)),
                liveMigrationPermitPostCopy, liveMigrationPermitAutoConverge, Bandwidth.ofMiBps(liveMigrationBandwidth),
                PolicyKind.valueOf(convergencePolicy.toUpperCase(Locale.ROOT)),
                maxDowntime > 0 ? Duration.ofMillis(maxDowntime) : downtime, Duration.ofSeconds(progressStall),
                Duration.ofMillis(switchoverCost));
        return new LifecycleSettings(convergence, migrateMaxRetries, new SlotLimits(maxConcurrentLiveMigrations,
                maxIncomingLiveMigrations, parallelMigrationsPerCluster),
                new LivenessSettings(hostHeartbeatTimeout, agentDeadlineMargin));
    }
}
