package io.ferry.agent.domain.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The simulated fabric: hosts, their NICs, and every migration job between them, on one
 * simulated clock. Not thread-safe: one thread (a test, or the agent adapter's scheduler) calls
 * {@link #advanceTo} and the commands.
 *
 * <p>Bandwidth: at each tick every stream gets min(its cap, source NIC / streams leaving the
 * source, destination NIC / streams entering the destination, the source's per-stream CPU
 * ceiling), times a seeded jitter factor if configured. Unused shares are not redistributed.
 *
 * <p>Determinism: jobs advance in start order, faults in (time, injection order), and the only
 * random input is drawn per tick from a generator seeded by {@link SimulationSettings#seed()}; the
 * same seed, inputs and {@code advanceTo} calls give the same {@link #trace()}.
 */
public final class SimulatedHypervisor {

    private final SimulationSettings settings;
    private final SimClock clock = new SimClock();
    private final long tickNanos;
    private final double linkTimeout;
    private final double setupSeconds;
    private final SplittableRandom random;
    private final Map<HostName, HostState> hosts = new HashMap<>();
    private final List<HostState> hostList = new ArrayList<>();
    private final List<MigrationJob> active = new ArrayList<>();
    private final Map<JobId, MigrationJob> known = new HashMap<>();
    private final List<EndedJob> ended = new ArrayList<>();
    private final List<TraceEvent> trace = new ArrayList<>();
    private final PriorityQueue<Scheduled> faults = new PriorityQueue<>();
    private long nextJob = 1;
    private long faultSequence;
    private long jitterTick = -1;
    private boolean someEnded;
    private final JobListener listener = new JobListener() {
        @Override
        public void trace(double at, JobId job, TraceEvent.Kind kind, long value, String detail) {
            traceLine(at, job, kind, value, detail);
        }

        @Override
        public void ended(MigrationJob job) {
            onEnded(job);
        }
    };

    private record Scheduled(long at, long sequence, Fault fault, boolean restore) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    public SimulatedHypervisor(SimulationSettings settings) {
        this.settings = settings;
        this.tickNanos = settings.tick().toNanos();
        this.linkTimeout = Seconds.of(settings.linkTimeout());
        this.setupSeconds = Seconds.of(settings.setupTime());
        this.random = new SplittableRandom(settings.seed());
    }

    public SimulatedHypervisor addHost(HostSpec spec) {
        if (hosts.containsKey(spec.name())) {
            throw new IllegalArgumentException("host " + spec.name() + " already exists");
        }
        HostState state = new HostState(hostList.size(), spec);
        hosts.put(spec.name(), state);
        hostList.add(state);
        return this;
    }

    public Duration now() {
        return clock.now();
    }

    public SimClock clock() {
        return clock;
    }

    // ---- commands --------------------------------------------------------------------------------

    /** Starts a migration now. A destination that refuses makes the job fail at the end of setup. */
    public JobId start(MigrationRequest request) {
        HostState source = host(request.source());
        HostState destination = host(request.destination());
        JobId id = new JobId(nextJob++);
        MigrationJob job = new MigrationJob(id, request, source, destination, seconds(), setupSeconds, listener);
        active.add(job);
        known.put(id, job);
        return id;
    }

    /** The job's stats now; empty once its end has been drained (or if it never existed). */
    public Optional<JobStats> stats(JobId id) {
        MigrationJob job = known.get(id);
        return job == null ? Optional.empty() : Optional.of(job.stats(seconds()));
    }

    /**
     * QEMU's calc-dirty-rate ({@code virDomainStartDirtyRateCalc}) on the guest of a job, now, for {@code period}
     * (1 to 60 s): counts the distinct bytes the guest dirties meanwhile, independently of the migration. Refused
     * while a measurement runs or once the guest no longer runs on the source.
     */
    public CommandResult startDirtyRateCalc(JobId id, Duration period) {
        if (!DirtyRateCalc.validPeriod(period)) {
            return CommandResult.refused("calc-time must be 1 to 60 s: " + period);
        }
        return command(id, "calc dirty rate over " + period.toMillis() + " ms",
                job -> job.startDirtyRateCalc(seconds(), Seconds.of(period)));
    }

    /** The guest's last calc-dirty-rate (libvirt's {@code dirtyrate.*} stats); empty when none was started. */
    public Optional<DirtyRateCalc> dirtyRate(JobId id) {
        MigrationJob job = known.get(id);
        return job == null ? Optional.empty() : job.dirtyRateCalc(seconds());
    }

    /** Changes the downtime limit in force; QEMU applies it at the next convergence check (sync). */
    public CommandResult setMaxDowntime(JobId id, Duration limit) {
        return command(id, "set max downtime " + limit.toMillis() + " ms", job -> job.setMaxDowntime(Seconds.of(limit)));
    }

    /** Switches to post-copy (when permitted); requested before memory copy starts, it happens then. */
    public CommandResult startPostCopy(JobId id) {
        return command(id, "start post-copy", job -> job.startPostCopy(seconds()));
    }

    /** Post-copy when permitted, otherwise pause the guest and send the rest. */
    public CommandResult forceComplete(JobId id) {
        return command(id, "force complete", job -> job.forceComplete(seconds()));
    }

    /** Stops the stream; the guest keeps running on the source. Refused in post-copy. */
    public CommandResult abort(JobId id) {
        return command(id, "abort", job -> job.abort(seconds()));
    }

    /** Schedules a fault; one dated in the past takes effect now. */
    public void inject(Fault fault) {
        host(fault.host());
        long at = Math.max(clock.nanos(), fault.at().toNanos());
        faults.add(new Scheduled(at, faultSequence++, fault, false));
        applyDueFaults();
    }

    /** Jobs that ended since the last call, in the order they ended; forgets them. */
    public List<EndedJob> drainEnded() {
        List<EndedJob> out = List.copyOf(ended);
        ended.clear();
        for (EndedJob e : out) {
            known.remove(e.job());
        }
        return out;
    }

    /** Everything recorded so far (empty when tracing is off). */
    public List<TraceEvent> trace() {
        return Collections.unmodifiableList(trace);
    }

    public int activeJobs() {
        return active.size();
    }

    // ---- time ------------------------------------------------------------------------------------

    public void advanceBy(Duration step) {
        advanceTo(clock.now().plus(step));
    }

    /**
     * Moves simulated time to {@code target}, in steps that end at every tick boundary and fault.
     * Called repeatedly by a real-time driver or once by a test.
     */
    public void advanceTo(Duration target) {
        long end = target.toNanos();
        if (end < clock.nanos()) {
            throw new IllegalArgumentException("cannot advance back from " + clock.now() + " to " + target);
        }
        applyDueFaults();
        while (clock.nanos() < end) {
            long now = clock.nanos();
            long next = Math.min(end, (now / tickNanos + 1) * tickNanos);
            Scheduled fault = faults.peek();
            if (fault != null && fault.at() < next) {
                next = fault.at();
            }
            step(now, next);
            clock.moveTo(next);
            applyDueFaults();
        }
    }

    /** Runs until no job is active or {@code limit} is reached; returns whether all jobs ended. */
    public boolean runUntilIdle(Duration limit) {
        while (!active.isEmpty() && clock.now().compareTo(limit) < 0) {
            Duration nextTick = Duration.ofNanos((clock.nanos() / tickNanos + 1) * tickNanos);
            advanceTo(nextTick.compareTo(limit) < 0 ? nextTick : limit);
        }
        return active.isEmpty();
    }

    private void step(long fromNanos, long toNanos) {
        double t = fromNanos / 1e9;
        double dt = (toNanos - fromNanos) / 1e9;
        for (HostState h : hostList) {
            h.outStreams = 0;
            h.inStreams = 0;
        }
        for (MigrationJob job : active) {
            if (job.streamsDuring(dt)) {
                job.source.outStreams++;
                job.destination.inStreams++;
            }
        }
        long tick = fromNanos / tickNanos;
        boolean redraw = settings.bandwidthJitter() > 0 && tick != jitterTick;
        jitterTick = tick;
        for (int i = 0; i < active.size(); i++) {
            MigrationJob job = active.get(i);
            if (redraw) {
                job.jitter = 1 - settings.bandwidthJitter() * random.nextDouble();
            }
            HostState src = job.source;
            HostState dst = job.destination;
            boolean linkUp = src.linkUp() && dst.linkUp();
            double bw = 0;
            if (linkUp && src.outStreams > 0 && dst.inStreams > 0) {
                bw = Math.min(Math.min(job.cap, src.streamCeiling),
                        Math.min(src.nic / src.outStreams, dst.nic / dst.inStreams)) * job.jitter;
            }
            job.advance(t, dt, bw, linkUp, linkTimeout);
        }
        removeEnded();
    }

    private void removeEnded() {
        if (someEnded) {
            active.removeIf(MigrationJob::ended);
            someEnded = false;
        }
    }

    private void applyDueFaults() {
        while (!faults.isEmpty() && faults.peek().at() <= clock.nanos()) {
            Scheduled s = faults.poll();
            apply(s);
        }
        removeEnded();
    }

    private void apply(Scheduled s) {
        HostState host = host(s.fault().host());
        double t = s.at() / 1e9;
        switch (s.fault()) {
            case Fault.LinkDown down -> {
                if (s.restore()) {
                    host.linkDowns--;
                } else {
                    host.linkDowns++;
                    long back = s.at() + down.duration().toNanos();
                    faults.add(new Scheduled(back, faultSequence++, down, true));
                }
            }
            case Fault.BandwidthChange change -> host.nic = change.nic().bytesPerSecond();
            case Fault.HostCrash crash -> {
                host.up = false;
                for (MigrationJob job : active) {
                    if (job.source == host || job.destination == host) {
                        job.hostCrashed(t, host);
                    }
                }
            }
            case Fault.RefuseIncoming refuse -> host.refusing = true;
        }
        if (settings.trace()) {
            String what = (s.restore() ? "link restored " : "fault ") + s.fault();
            for (MigrationJob job : active) {
                if (job.source == host || job.destination == host) {
                    traceLine(t, job.id, TraceEvent.Kind.INPUT, 0, what);
                }
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private interface JobCommand {
        CommandResult apply(MigrationJob job);
    }

    private CommandResult command(JobId id, String name, JobCommand command) {
        MigrationJob job = known.get(id);
        if (job == null) {
            return CommandResult.refused("no job " + id);
        }
        CommandResult result = command.apply(job);
        traceLine(seconds(), id, TraceEvent.Kind.INPUT, 0, name + ": " + result);
        removeEnded();
        return result;
    }

    private HostState host(HostName name) {
        HostState h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("unknown host " + name);
        }
        return h;
    }

    private double seconds() {
        return clock.nanos() / 1e9;
    }

    private void traceLine(double at, JobId job, TraceEvent.Kind kind, long value, String detail) {
        if (settings.trace()) {
            trace.add(new TraceEvent(Seconds.toDuration(at), job, kind, value, detail));
        }
    }

    private void onEnded(MigrationJob job) {
        someEnded = true;
        ended.add(new EndedJob(job.id, job.request, job.outcome(), job.stats(seconds())));
    }
}
