package io.ferry.agent.adapter.sim;

import io.ferry.agent.app.HypervisorDriver;
import io.ferry.agent.app.MigrationListener;
import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import io.ferry.agent.domain.MigrationOrder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A simulated hypervisor for one host, on a clock that can run faster than real time. This first model streams
 * the guest's memory once at the stream's bandwidth (the NIC shared by this host's concurrent streams, or the
 * migration's own cap); the faithful pre-copy/post-copy model replaces it behind the same port.
 */
public class SimulatedDriver implements HypervisorDriver {

    private final ScheduledExecutorService ticker;
    private final double speed;
    private final Duration tick;
    private final long nicBytesPerSec;
    private final Duration switchover;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    public SimulatedDriver(ScheduledExecutorService ticker, double speed, Duration tick, long nicBandwidthMbps,
                           Duration switchover) {
        this.ticker = ticker;
        this.speed = speed;
        this.tick = tick;
        this.nicBytesPerSec = nicBandwidthMbps * 1_000_000L / 8;
        this.switchover = switchover;
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public void startMigration(MigrationOrder order, MigrationListener listener) {
        Job job = new Job(order, listener);
        if (jobs.putIfAbsent(order.migrationUuid(), job) == null) {
            job.future = ticker.scheduleAtFixedRate(job::tick, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean setMaxDowntime(String migrationUuid, Duration downtime) {
        Job job = jobs.get(migrationUuid);
        if (job == null) {
            return false;
        }
        job.downtimeLimitMillis = downtime.toMillis();
        return true;
    }

    @Override
    public boolean switchToPostCopy(String migrationUuid) {
        Job job = jobs.get(migrationUuid);
        if (job == null || !job.order.postCopyPermitted()) {
            return false;
        }
        job.postCopy = true;
        return true;
    }

    @Override
    public boolean forceComplete(String migrationUuid) {
        Job job = jobs.get(migrationUuid);
        if (job == null) {
            return false;
        }
        job.forceComplete = true;
        return true;
    }

    @Override
    public boolean abort(String migrationUuid) {
        Job job = jobs.get(migrationUuid);
        if (job == null) {
            return false;
        }
        job.abort = true;
        return true;
    }

    @Override
    public boolean isRunning(String migrationUuid) {
        return jobs.containsKey(migrationUuid);
    }

    private long streamBandwidth(Job job) {
        long share = nicBytesPerSec / Math.max(1, jobs.size());
        long cap = job.order.bandwidthMibps() * 1024L * 1024L;
        return cap > 0 ? Math.min(cap, share) : share;
    }

    private final class Job {
        private final MigrationOrder order;
        private final MigrationListener listener;
        private final long total;
        private volatile long downtimeLimitMillis;
        private volatile boolean abort;
        private volatile boolean forceComplete;
        private volatile boolean postCopy;
        private final long startedAt = System.currentTimeMillis();
        private long elapsedMillis;
        private long processed;
        private ScheduledFuture<?> future;

        Job(MigrationOrder order, MigrationListener listener) {
            this.order = order;
            this.listener = listener;
            this.total = order.guest().memoryBytes();
            this.downtimeLimitMillis = order.maxDowntime().toMillis();
        }

        synchronized void tick() {
            try {
                if (future == null) {
                    return;
                }
                long bandwidth = streamBandwidth(this);
                if (abort) {
                    end(new JobEnd(JobEnd.Outcome.CANCELLED, "operation aborted: job 'migration out' canceled by client",
                            0, elapsedMillis, 1, total, processed, postCopy));
                    return;
                }
                long step = (long) (tick.toMillis() * speed);
                elapsedMillis += step;
                processed = Math.min(total, processed + bandwidth * step / 1000);
                long remaining = total - processed;
                long expectedDowntime = bandwidth == 0 ? Long.MAX_VALUE : remaining * 1000 / bandwidth;
                if (remaining == 0 || forceComplete || postCopy || expectedDowntime <= downtimeLimitMillis) {
                    long downtime = expectedDowntime + switchover.toMillis();
                    if (postCopy) {
                        downtime = switchover.toMillis();
                    }
                    processed = total;
                    end(new JobEnd(JobEnd.Outcome.COMPLETED, null, downtime, elapsedMillis, 1, total, total, postCopy));
                    return;
                }
                listener.progress(new JobReading(startedAt + elapsedMillis, elapsedMillis, 1, total, processed, remaining, 0,
                        bandwidth, downtimeLimitMillis, expectedDowntime, 0,
                        postCopy ? JobReading.JobPhase.POST_COPY : JobReading.JobPhase.PRE_COPY));
            } catch (RuntimeException e) {
                end(new JobEnd(JobEnd.Outcome.FAILED, "simulator fault: " + e, 0, elapsedMillis, 1, total, processed,
                        postCopy));
            }
        }

        private void end(JobEnd end) {
            future.cancel(false);
            future = null;
            jobs.remove(order.migrationUuid());
            listener.ended(end);
        }
    }
}
