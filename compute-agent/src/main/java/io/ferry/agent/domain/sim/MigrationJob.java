package io.ferry.agent.domain.sim;

import java.util.Optional;

/**
 * One migration, advanced analytically: within a step every rate is constant, so the job jumps
 * from event to event (end of a round, of a phase, of a burst) instead of walking pages. Times are
 * simulated seconds ({@code double}); bytes are {@code double} and rounded only in {@link #stats}.
 *
 * <p>Pre-copy follows the classic model (Clark et al.) with QEMU's rules: round 0 sends M'; the
 * dirty bitmap is synced when a round has been sent, and the next round is what was dirtied during
 * it (at most W). At each sync, if the pending bytes are below bandwidth x downtime limit in force,
 * the guest is paused and the rest sent. A changed downtime limit takes effect at the next sync.
 */
final class MigrationJob {

    private static final double EPS_SECONDS = 1e-12;
    private static final double EPS_BYTES = 1e-6;

    enum Stage { SETUP, DISK, PRECOPY, STOP_COPY, SWITCHOVER, POSTCOPY_DEVICE, POSTCOPY, ENDED }

    final JobId id;
    final MigrationRequest request;
    final HostState source;
    final HostState destination;
    private final JobListener listener;

    private final double ram;
    private final double firstRound;
    private final double workingSet;
    private final DirtyPattern dirtying;
    final double cap;
    private final double switchover;
    private final boolean autoConvergeEnabled;
    private final boolean postCopyPermitted;
    private final double diskWriteRate;
    private final double diskTotal;
    private double maxDowntime;

    Stage stage = Stage.SETUP;
    private Phase endPhase;
    private Outcome outcome;
    private final double startedAt;
    private double endedAt = Double.NaN;
    private double timer;
    private double setupTime = Double.NaN;
    private boolean reserved;

    private double diskRemaining;
    private double diskProcessed;

    private double roundSize;
    private double roundRemaining;
    private double dirtied;
    private double memProcessed;
    private long iteration;
    private AutoConverge autoConverge = AutoConverge.INACTIVE;
    private double periodStart;
    private double periodDirtied;
    private double periodSent;
    private double measuredDirtyRate;
    private double calcStart = Double.NaN;
    private double calcEnd = Double.NaN;
    private double calcDirtied;

    private double bandwidth;
    private double pausedAt = Double.NaN;
    private double actualDowntime = Double.NaN;
    private double finalRemaining;
    private double postCopyInitial;
    private double blocktime;
    private double stalled;
    private boolean postCopyRequested;
    private boolean forceRequested;
    private boolean viaPostCopy;

    double jitter = 1.0;

    MigrationJob(JobId id, MigrationRequest request, HostState source, HostState destination,
                 double now, double setup, JobListener listener) {
        this.id = id;
        this.request = request;
        this.source = source;
        this.destination = destination;
        this.listener = listener;
        Guest guest = request.guest();
        MigrationSettings settings = request.settings();
        this.ram = guest.ram().bytes();
        this.firstRound = guest.firstRoundBytes();
        this.workingSet = Math.min(guest.workload().workingSet().bytes(), ram);
        this.dirtying = guest.workload().dirtying();
        this.cap = settings.bandwidthCap().isZero() ? Double.POSITIVE_INFINITY : settings.bandwidthCap().bytesPerSecond();
        this.switchover = Seconds.of(settings.switchoverCost());
        this.autoConvergeEnabled = settings.autoConverge();
        this.postCopyPermitted = settings.postCopyPermitted();
        boolean block = settings.blockMigration() && guest.localDisk().bytes() > 0;
        this.diskTotal = block ? guest.localDisk().bytes() : 0;
        this.diskWriteRate = block ? guest.diskWriteRate().bytesPerSecond() : 0;
        this.diskRemaining = diskTotal;
        this.maxDowntime = Seconds.of(settings.maxDowntime());
        this.startedAt = now;
        this.timer = setup;
        listener.trace(now, id, TraceEvent.Kind.STARTED, (long) ram, request.source() + "->" + request.destination());
    }

    boolean ended() {
        return stage == Stage.ENDED;
    }

    Outcome outcome() {
        return outcome;
    }

    /** Whether the job holds a stream on both NICs at some point in [t, t + dt). */
    boolean streamsDuring(double dt) {
        return switch (stage) {
            case DISK, PRECOPY, STOP_COPY, POSTCOPY -> true;
            case SETUP, POSTCOPY_DEVICE -> timer < dt;
            case SWITCHOVER, ENDED -> false;
        };
    }

    // ---- time ----------------------------------------------------------------------------------

    /**
     * Advances from {@code t} by {@code dt} seconds with the stream running at {@code bw} bytes/s
     * (the NIC share computed at the start of the step) and the link up or down.
     */
    void advance(double t, double dt, double bw, boolean linkUp, double linkTimeout) {
        bandwidth = linkUp ? bw : 0;
        if (!linkUp && stage != Stage.ENDED) {
            if (stage == Stage.POSTCOPY || stage == Stage.POSTCOPY_DEVICE) {
                end(t, new Outcome.GuestLost("link lost during post-copy: pages split between hosts"), Phase.FAILED);
                return;
            }
            double until = linkTimeout - stalled;
            if (until <= dt) {
                dirty(t, Math.max(0, until));
                end(t + Math.max(0, until), new Outcome.Failed("migration stream timed out: link down"), Phase.FAILED);
                return;
            }
            stalled += dt;
            measureDirtying(t, dt, stage, autoConverge.throttle());
            dirty(t, dt);
            return;
        }
        stalled = 0;
        while (dt > EPS_SECONDS && stage != Stage.ENDED) {
            Stage before = stage;
            double throttle = autoConverge.throttle();
            double used = switch (stage) {
                case SETUP -> setup(t, dt);
                case DISK -> disk(t, dt, bw);
                case PRECOPY -> precopy(t, dt, Math.max(0, bw - diskWriteRate));
                case STOP_COPY -> stopCopy(t, dt, bw);
                case SWITCHOVER -> switchover(t, dt);
                case POSTCOPY_DEVICE -> postCopyDevice(t, dt);
                case POSTCOPY -> postCopy(t, dt, bw);
                case ENDED -> dt;
            };
            measureDirtying(t, used, before, throttle);
            t += used;
            dt -= used;
        }
    }

    private double setup(double t, double dt) {
        double seg = Math.min(dt, timer);
        timer -= seg;
        if (timer > EPS_SECONDS) {
            return seg;
        }
        double now = t + seg;
        setupTime = now - startedAt;
        if (!source.up) {
            end(now, new Outcome.GuestLost("source host " + source.name() + " is down"), Phase.FAILED);
        } else if (!destination.up) {
            end(now, new Outcome.Failed("destination host " + destination.name() + " is down"), Phase.FAILED);
        } else if (destination.refusing || destination.freeMemory < ram) {
            end(now, new Outcome.Failed("destination " + destination.name() + " refused: not enough free memory"),
                    Phase.FAILED);
        } else {
            destination.freeMemory -= (long) ram;
            reserved = true;
            if (diskTotal > 0) {
                moveTo(now, Stage.DISK, 0);
            } else {
                startPreCopy(now);
            }
        }
        return seg;
    }

    private double disk(double t, double dt, double bw) {
        double net = bw - diskWriteRate;
        if (net <= 0) {
            diskProcessed += bw * dt;
            return dt;
        }
        double seg = Math.min(dt, diskRemaining / net);
        diskProcessed += bw * seg;
        diskRemaining -= net * seg;
        if (diskRemaining <= EPS_BYTES) {
            diskRemaining = 0;
            startPreCopy(t + seg);
        }
        return seg;
    }

    private void startPreCopy(double t) {
        moveTo(t, Stage.PRECOPY, firstRound);
        iteration = 1;
        roundSize = firstRound;
        roundRemaining = firstRound;
        dirtied = 0;
        periodStart = t;
        if (postCopyRequested) {
            switchToPostCopy(t);
        } else if (forceRequested) {
            pauseAndCopy(t);
        }
    }

    private double precopy(double t, double dt, double memBw) {
        double d = dirtying.rateAt(t) * (1 - autoConverge.throttle());
        // at least 1 ns: a burst boundary an ulp ahead must not stall the loop
        double seg = Math.min(dt, Math.max(1e-9, dirtying.nextChangeAfter(t) - t));
        double toRoundEnd = roundRemaining <= EPS_BYTES ? 0 : memBw > 0 ? roundRemaining / memBw : Double.POSITIVE_INFINITY;
        boolean roundEnds = toRoundEnd <= seg;
        if (roundEnds) {
            seg = toRoundEnd;
        }
        double sent = roundEnds ? roundRemaining : memBw * seg;
        roundRemaining -= sent;
        memProcessed += sent;
        periodSent += sent;
        dirtied = Math.min(workingSet, dirtied + d * seg);
        if (roundEnds) {
            roundRemaining = 0;
            sync(t + seg, memBw);
        }
        return seg;
    }

    private void sync(double t, double memBw) {
        iteration++;
        double pending = dirtied;
        dirtied = 0;
        periodDirtied += pending;
        listener.trace(t, id, TraceEvent.Kind.SYNC, Math.round(roundSize), "iteration " + iteration);
        if (t - periodStart >= 1.0 - EPS_SECONDS) {
            closePeriod(t);
        }
        if (pending <= EPS_BYTES || pending < memBw * maxDowntime) {
            enterStopCopy(t, pending);
        } else {
            roundSize = pending;
            roundRemaining = pending;
        }
    }

    private void closePeriod(double t) {
        measuredDirtyRate = periodDirtied / (t - periodStart);
        if (autoConvergeEnabled) {
            AutoConverge next = autoConverge.afterPeriod(periodDirtied, periodSent);
            if (next.throttlePercent() != autoConverge.throttlePercent()) {
                listener.trace(t, id, TraceEvent.Kind.THROTTLE, next.throttlePercent(), "cpu throttle");
            }
            autoConverge = next;
        }
        periodStart = t;
        periodDirtied = 0;
        periodSent = 0;
    }

    private void enterStopCopy(double t, double pending) {
        pausedAt = t;
        finalRemaining = Math.max(0, pending);
        moveTo(t, Stage.STOP_COPY, finalRemaining);
    }

    private double stopCopy(double t, double dt, double bw) {
        double toEnd = finalRemaining <= EPS_BYTES ? 0 : bw > 0 ? finalRemaining / bw : Double.POSITIVE_INFINITY;
        if (toEnd > dt) {
            finalRemaining -= bw * dt;
            memProcessed += bw * dt;
            return dt;
        }
        memProcessed += finalRemaining;
        finalRemaining = 0;
        timer = switchover;
        moveTo(t + toEnd, Stage.SWITCHOVER, 0);
        return toEnd;
    }

    private double switchover(double t, double dt) {
        double seg = Math.min(dt, timer);
        timer -= seg;
        if (timer <= EPS_SECONDS) {
            complete(t + seg);
        }
        return seg;
    }

    private double postCopyDevice(double t, double dt) {
        double seg = Math.min(dt, timer);
        timer -= seg;
        if (timer <= EPS_SECONDS) {
            actualDowntime = t + seg - pausedAt;
            moveTo(t + seg, Stage.POSTCOPY, finalRemaining);
        }
        return seg;
    }

    private double postCopy(double t, double dt, double bw) {
        double toEnd = finalRemaining <= EPS_BYTES ? 0 : bw > 0 ? finalRemaining / bw : Double.POSITIVE_INFINITY;
        double seg = Math.min(dt, toEnd);
        double sent = toEnd <= dt ? finalRemaining : bw * seg;
        // a vCPU stalls for the share of the pages it needs that are still missing
        if (postCopyInitial > 0) {
            blocktime += seg * (finalRemaining - sent / 2) / postCopyInitial;
        }
        finalRemaining -= sent;
        memProcessed += sent;
        if (toEnd <= dt) {
            finalRemaining = 0;
            complete(t + seg);
        }
        return seg;
    }

    /** Guest writes while the stream stalls: dirty pages pile up (only while it runs on the source). */
    private void dirty(double t, double dt) {
        if (stage == Stage.PRECOPY) {
            double d = dirtying.rateAt(t) * (1 - autoConverge.throttle());
            dirtied = Math.min(workingSet, dirtied + d * dt);
        }
    }

    /**
     * calc-dirty-rate's count: the guest runs on the source (not paused, not yet on the destination) from {@code t}
     * for {@code dt} under {@code throttle}; what it writes inside the measurement's window counts.
     */
    private void measureDirtying(double t, double dt, Stage during, double throttle) {
        boolean runsHere = during == Stage.SETUP || during == Stage.DISK || during == Stage.PRECOPY;
        if (!runsHere || Double.isNaN(calcStart)) {
            return;
        }
        double from = Math.max(t, calcStart);
        double to = Math.min(t + dt, calcEnd);
        if (to > from) {
            calcDirtied += dirtying.bytesBetween(from, to) * (1 - throttle);
        }
    }

    // ---- commands and faults ---------------------------------------------------------------------

    /** QEMU's calc-dirty-rate on the job's guest, from {@code t} for {@code period} seconds. */
    CommandResult startDirtyRateCalc(double t, double period) {
        if (stage != Stage.SETUP && stage != Stage.DISK && stage != Stage.PRECOPY) {
            return CommandResult.refused("the guest of job " + id + " does not run on the source ("
                    + phase() + ")");
        }
        if (!Double.isNaN(calcStart) && t < calcEnd - EPS_SECONDS) {
            return CommandResult.refused("the dirty rate is already being measured");
        }
        calcStart = t;
        calcEnd = t + period;
        calcDirtied = 0;
        return CommandResult.ACCEPTED;
    }

    /** The last calc-dirty-rate, measuring or measured; empty when none was started. */
    Optional<DirtyRateCalc> dirtyRateCalc(double now) {
        if (Double.isNaN(calcStart)) {
            return Optional.empty();
        }
        double period = calcEnd - calcStart;
        if (now < calcEnd - EPS_SECONDS) {
            return Optional.of(new DirtyRateCalc(DirtyRateCalc.Status.MEASURING, Seconds.toDuration(calcStart),
                    Seconds.toDuration(period), Bandwidth.ZERO));
        }
        return Optional.of(new DirtyRateCalc(DirtyRateCalc.Status.MEASURED, Seconds.toDuration(calcStart),
                Seconds.toDuration(period), DirtyRateCalc.qemuRate(Math.min(workingSet, calcDirtied), period)));
    }

    CommandResult setMaxDowntime(double seconds) {
        if (stage == Stage.ENDED) {
            return CommandResult.refused("job " + id + " has ended");
        }
        maxDowntime = seconds;
        return CommandResult.ACCEPTED;
    }

    CommandResult startPostCopy(double t) {
        if (!postCopyPermitted) {
            return CommandResult.refused("post-copy is not permitted for " + id);
        }
        return switch (stage) {
            case SETUP, DISK -> {
                postCopyRequested = true;
                yield CommandResult.ACCEPTED;
            }
            case PRECOPY -> {
                switchToPostCopy(t);
                yield CommandResult.ACCEPTED;
            }
            default -> CommandResult.refused("cannot switch to post-copy in stage " + stage);
        };
    }

    CommandResult forceComplete(double t) {
        if (postCopyPermitted) {
            return startPostCopy(t);
        }
        return switch (stage) {
            case SETUP, DISK -> {
                forceRequested = true;
                yield CommandResult.ACCEPTED;
            }
            case PRECOPY -> {
                pauseAndCopy(t);
                yield CommandResult.ACCEPTED;
            }
            default -> CommandResult.refused("cannot force completion in stage " + stage);
        };
    }

    CommandResult abort(double t) {
        return switch (stage) {
            case SETUP, DISK, PRECOPY, STOP_COPY -> {
                end(t, new Outcome.Cancelled("aborted on request"), Phase.CANCELLED);
                yield CommandResult.ACCEPTED;
            }
            case SWITCHOVER -> CommandResult.refused("switchover in progress");
            case POSTCOPY_DEVICE, POSTCOPY -> CommandResult.refused("cannot abort a migration in post-copy mode");
            case ENDED -> CommandResult.refused("job " + id + " has ended");
        };
    }

    /** The final dirty sync before the guest leaves the source: what is left becomes the last payload. */
    private double finalSync(double t) {
        iteration++;
        double pending = Math.min(ram, roundRemaining + dirtied);
        listener.trace(t, id, TraceEvent.Kind.SYNC, Math.round(roundSize - roundRemaining), "iteration " + iteration);
        roundRemaining = 0;
        dirtied = 0;
        return pending;
    }

    private void pauseAndCopy(double t) {
        enterStopCopy(t, finalSync(t));
    }

    private void switchToPostCopy(double t) {
        double pending = finalSync(t);
        pausedAt = t;
        finalRemaining = pending;
        postCopyInitial = pending;
        viaPostCopy = true;
        timer = switchover;
        moveTo(t, Stage.POSTCOPY_DEVICE, pending);
    }

    void hostCrashed(double t, HostState host) {
        if (stage == Stage.ENDED) {
            return;
        }
        boolean guestOnDestination = stage == Stage.POSTCOPY || stage == Stage.POSTCOPY_DEVICE;
        if (host == source) {
            end(t, new Outcome.GuestLost("source host " + host.name() + " crashed"), Phase.FAILED);
        } else if (guestOnDestination) {
            end(t, new Outcome.GuestLost("destination host " + host.name() + " crashed during post-copy"), Phase.FAILED);
        } else {
            end(t, new Outcome.Failed("destination host " + host.name() + " crashed"), Phase.FAILED);
        }
    }

    // ---- transitions -----------------------------------------------------------------------------

    private void moveTo(double t, Stage next, double pending) {
        Phase from = phase();
        stage = next;
        listener.trace(t, id, TraceEvent.Kind.PHASE, Math.round(pending), from + "->" + phase() + " (" + next + ")");
    }

    private void complete(double t) {
        if (Double.isNaN(actualDowntime)) {
            actualDowntime = t - pausedAt;
        }
        source.freeMemory += (long) ram;
        reserved = false;
        end(t, new Outcome.Completed(Seconds.toDuration(actualDowntime), Seconds.toDuration(t - startedAt),
                ByteSize.ofModel(memProcessed + diskProcessed), iteration, viaPostCopy), Phase.COMPLETED);
    }

    private void end(double t, Outcome result, Phase phase) {
        if (reserved && destination.up) {
            destination.freeMemory += (long) ram;
        }
        reserved = false;
        outcome = result;
        endPhase = phase;
        endedAt = t;
        stage = Stage.ENDED;
        bandwidth = 0;
        listener.trace(t, id, TraceEvent.Kind.ENDED, 0, result.toString());
        listener.ended(this);
    }

    // ---- readings --------------------------------------------------------------------------------

    Phase phase() {
        return switch (stage) {
            case SETUP -> Phase.SETUP;
            case DISK, PRECOPY -> Phase.PRE_COPY;
            case STOP_COPY, SWITCHOVER, POSTCOPY_DEVICE -> Phase.PAUSED;
            case POSTCOPY -> Phase.POST_COPY;
            case ENDED -> endPhase;
        };
    }

    private double memoryRemaining() {
        return switch (stage) {
            case SETUP, DISK -> firstRound;
            case PRECOPY -> roundRemaining + dirtied;
            case STOP_COPY, POSTCOPY_DEVICE, POSTCOPY -> finalRemaining;
            case SWITCHOVER -> 0;
            case ENDED -> outcome instanceof Outcome.Completed ? 0 : roundRemaining + dirtied + finalRemaining;
        };
    }

    JobStats stats(double now) {
        double at = stage == Stage.ENDED ? endedAt : now;
        double remaining = memoryRemaining();
        double memBw = stage == Stage.PRECOPY ? Math.max(0, bandwidth - diskWriteRate) : bandwidth;
        Optional<java.time.Duration> expected = memBw > 0 && stage != Stage.ENDED
                ? Optional.of(Seconds.toDuration(remaining / memBw)) : Optional.empty();
        Optional<java.time.Duration> actual = Double.isNaN(actualDowntime) ? Optional.empty()
                : Optional.of(Seconds.toDuration(actualDowntime));
        double setup = Double.isNaN(setupTime) ? at - startedAt : setupTime;
        return new JobStats(Seconds.toDuration(at), phase(),
                ByteSize.ofModel(ram), ByteSize.ofModel(memProcessed), ByteSize.ofModel(remaining),
                ByteSize.ofModel(diskTotal), ByteSize.ofModel(diskProcessed), ByteSize.ofModel(diskRemaining),
                Bandwidth.bytesPerSecond(measuredDirtyRate), iteration, Bandwidth.bytesPerSecond(bandwidth),
                expected, actual, Seconds.toDuration(setup), Seconds.toDuration(at - startedAt),
                autoConverge.throttle(), Seconds.toDuration(blocktime));
    }
}
