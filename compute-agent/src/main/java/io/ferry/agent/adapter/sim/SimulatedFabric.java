package io.ferry.agent.adapter.sim;

import io.ferry.agent.app.MigrationListener;
import io.ferry.agent.domain.DirtyRateSample;
import io.ferry.agent.domain.DirtyRateSampling;
import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import io.ferry.agent.domain.sim.CommandResult;
import io.ferry.agent.domain.sim.DirtyRateCalc;
import io.ferry.agent.domain.sim.EndedJob;
import io.ferry.agent.domain.sim.Fault;
import io.ferry.agent.domain.sim.HostSpec;
import io.ferry.agent.domain.sim.JobId;
import io.ferry.agent.domain.sim.JobStats;
import io.ferry.agent.domain.sim.MigrationRequest;
import io.ferry.agent.domain.sim.Outcome;
import io.ferry.agent.domain.sim.SimulatedHypervisor;
import io.ferry.agent.domain.sim.SimulationSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the simulated hypervisor ({@link SimulatedHypervisor}: every simulated host of this process, their NICs and
 * all migration streams between them) in real time at a speed factor: each tick advances simulated time by
 * {@code tick × speed}, then reports readings and ended jobs to their listeners. Calls into the model are
 * serialised under one lock; listeners are called after it is released.
 */
public class SimulatedFabric implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatedFabric.class);

    private record Tracked(JobId job, MigrationListener listener, long[] downtimeLimitMillis, long[] lastReadingNanos,
                           Measuring measuring) {
    }

    /** The guest's dirty rate measurements (calc-dirty-rate): the one running, and the last completed. */
    private static final class Measuring {
        Duration period;
        DirtyRateSample last;
    }

    private final SimulatedHypervisor model;
    private final double speed;
    private final Duration progressInterval;
    private final long wallOrigin = System.currentTimeMillis();
    private final LongSupplier nanoTime;
    private final long nanoOrigin;
    private final Map<String, Tracked> byMigration = new LinkedHashMap<>();
    private final Map<JobId, String> migrationOf = new HashMap<>();
    private final ScheduledFuture<?> ticking;
    private final DirtyRateSampling sampling = DirtyRateSampling.defaults();

    public SimulatedFabric(SimulationSettings settings, double speed, Duration tick, Duration progressInterval,
                           ScheduledExecutorService ticker) {
        this(settings, speed, tick, progressInterval, ticker, System::nanoTime);
    }

    /**
     * A fabric on the given monotonic clock ({@code System::nanoTime} in production; a hand-moved one in tests, which
     * then call {@link #tick()} themselves).
     */
    public SimulatedFabric(SimulationSettings settings, double speed, Duration tick, Duration progressInterval,
                           ScheduledExecutorService ticker, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.nanoOrigin = nanoTime.getAsLong();
        this.model = new SimulatedHypervisor(settings);
        this.speed = speed;
        this.progressInterval = progressInterval;
        this.ticking = ticker.scheduleAtFixedRate(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized void addHost(HostSpec spec) {
        model.addHost(spec);
    }

    /** Epoch milliseconds of a simulated instant: the fabric's start plus simulated time. */
    public long epochMillis(Duration simulated) {
        return wallOrigin + simulated.toMillis();
    }

    /** Starts a job for a migration (idempotent per migration uuid). */
    public synchronized void start(String migrationUuid, MigrationRequest request, Duration downtimeLimit,
                                   MigrationListener listener) {
        if (byMigration.containsKey(migrationUuid)) {
            return;
        }
        advance();
        JobId job = model.start(request);
        Measuring measuring = new Measuring();
        if (model.startDirtyRateCalc(job, sampling.atStart()) == CommandResult.ACCEPTED) {
            measuring.period = sampling.atStart();
        }
        byMigration.put(migrationUuid, new Tracked(job, listener, new long[] {downtimeLimit.toMillis()},
                new long[] {-1}, measuring));
        migrationOf.put(job, migrationUuid);
    }

    public boolean running(String migrationUuid) {
        synchronized (this) {
            return byMigration.containsKey(migrationUuid);
        }
    }

    /** Runs a command on a migration's job; false when no such job runs or the model refused it. */
    public boolean command(String migrationUuid, Function<JobId, CommandResult> command, Long newDowntimeMillis) {
        synchronized (this) {
            Tracked tracked = byMigration.get(migrationUuid);
            if (tracked == null) {
                return false;
            }
            advance();
            CommandResult result = command.apply(tracked.job());
            if (result instanceof CommandResult.Refused refused) {
                log.info("simulator refused a command for migration {}: {}", migrationUuid, refused.reason());
                return false;
            }
            if (newDowntimeMillis != null) {
                tracked.downtimeLimitMillis()[0] = newDowntimeMillis;
            }
            return true;
        }
    }

    /** The model, for commands that name a job. */
    SimulatedHypervisor model() {
        return model;
    }

    /** Injects a fault (tests, benchmarks). */
    public synchronized void inject(Fault fault) {
        advance();
        model.inject(fault);
    }

    /** Current simulated time. */
    public synchronized Duration now() {
        return model.now();
    }

    private void advance() {
        Duration target = Duration.ofNanos((long) ((nanoTime.getAsLong() - nanoOrigin) * speed));
        if (target.compareTo(model.now()) > 0) {
            model.advanceTo(target);
        }
    }

    /** One step: simulated time catches up with the clock, then readings and ended jobs go to their listeners. */
    public void tick() {
        List<Runnable> notifications = new ArrayList<>();
        try {
            synchronized (this) {
                advance();
                long nowNanos = model.now().toNanos();
                for (EndedJob ended : model.drainEnded()) {
                    String migrationUuid = migrationOf.remove(ended.job());
                    Tracked tracked = migrationUuid == null ? null : byMigration.remove(migrationUuid);
                    if (tracked != null) {
                        JobEnd end = end(ended);
                        notifications.add(() -> tracked.listener().ended(end));
                    }
                }
                for (Tracked tracked : byMigration.values()) {
                    measure(tracked);
                    long last = tracked.lastReadingNanos()[0];
                    if (last >= 0 && nowNanos - last < progressInterval.toNanos()) {
                        continue;
                    }
                    Optional<JobStats> stats = model.stats(tracked.job());
                    if (stats.isPresent()) {
                        tracked.lastReadingNanos()[0] = nowNanos;
                        JobReading reading = reading(stats.get(), tracked.downtimeLimitMillis()[0],
                                tracked.measuring().last);
                        notifications.add(() -> tracked.listener().progress(reading));
                    }
                }
            }
            notifications.forEach(Runnable::run);
        } catch (RuntimeException e) {
            log.error("simulated fabric tick failed", e);
        }
    }

    /** Takes a completed dirty rate measurement and, while the first pass runs, starts the next one. */
    private void measure(Tracked tracked) {
        Measuring m = tracked.measuring();
        if (m.period == null) {
            return;
        }
        Optional<DirtyRateCalc> calc = model.dirtyRate(tracked.job());
        if (calc.isEmpty() || calc.get().status() != DirtyRateCalc.Status.MEASURED) {
            return;
        }
        DirtyRateCalc done = calc.get();
        m.last = new DirtyRateSample((long) done.rate().bytesPerSecond(), epochMillis(done.startedAt()),
                done.period().toMillis());
        long iteration = model.stats(tracked.job()).map(JobStats::iteration).orElse(Long.MAX_VALUE);
        Optional<Duration> next = sampling.after(m.period, iteration);
        m.period = next.isPresent() && model.startDirtyRateCalc(tracked.job(), next.get()) == CommandResult.ACCEPTED
                ? next.get() : null;
    }

    private JobReading reading(JobStats s, long downtimeLimitMillis, DirtyRateSample measured) {
        return new JobReading(epochMillis(s.at()), s.elapsed().toMillis(), s.iteration(),
                s.memoryTotal().bytes(), s.memoryProcessed().bytes(), s.memoryRemaining().bytes(),
                (long) s.dirtyRate().bytesPerSecond(), (long) s.bandwidth().bytesPerSecond(), downtimeLimitMillis,
                s.expectedDowntime().map(Duration::toMillis).orElse(-1L), (int) Math.round(s.cpuThrottle() * 100),
                switch (s.phase()) {
                    case SETUP -> JobReading.JobPhase.SETUP;
                    case POST_COPY -> JobReading.JobPhase.POST_COPY;
                    case PAUSED -> JobReading.JobPhase.PAUSED;
                    default -> JobReading.JobPhase.PRE_COPY;
                }, measured);
    }

    private static JobEnd end(EndedJob ended) {
        JobStats s = ended.finalStats();
        long total = s.memoryTotal().bytes();
        long sent = s.memoryProcessed().bytes();
        long elapsed = s.elapsed().toMillis();
        return switch (ended.outcome()) {
            case Outcome.Completed c -> new JobEnd(JobEnd.Outcome.COMPLETED, null, c.downtime().toMillis(),
                    c.totalTime().toMillis(), c.iterations(), total, sent, c.viaPostCopy());
            case Outcome.Cancelled c -> new JobEnd(JobEnd.Outcome.CANCELLED, c.reason(), 0, elapsed, s.iteration(),
                    total, sent, false);
            case Outcome.Failed f -> new JobEnd(JobEnd.Outcome.FAILED, f.reason(), 0, elapsed, s.iteration(), total,
                    sent, false);
            case Outcome.GuestLost g -> new JobEnd(JobEnd.Outcome.GUEST_LOST, g.reason(), 0, elapsed, s.iteration(),
                    total, sent, true);
        };
    }

    @Override
    public void close() {
        ticking.cancel(false);
    }
}
