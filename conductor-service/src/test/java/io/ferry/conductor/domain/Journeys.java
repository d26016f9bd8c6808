package io.ferry.conductor.domain;

import io.ferry.conductor.domain.MigrationInput.AgentReplied;
import io.ferry.conductor.domain.MigrationInput.DestinationClaimed;
import io.ferry.conductor.domain.MigrationInput.JobEnded;
import io.ferry.conductor.domain.MigrationInput.JobOutcome;
import io.ferry.conductor.domain.MigrationProcess.SourceFacts;
import io.ferry.conductor.domain.MigrationProcess.Step;
import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.convergence.ByteSize;
import io.ferry.conductor.domain.convergence.MigrationPhase;
import io.ferry.conductor.domain.convergence.ProgressReading;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Drives a migration through the real process to any status: fixtures built the way production builds them. */
final class Journeys {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final String SOURCE = "compute-a";
    static final String DEST = "compute-b";
    static final String ALTERNATE = "compute-c";
    static final long RAM_MB = 4096;

    final MigrationProcess process;

    Journeys(LifecycleSettings settings) {
        this.process = new MigrationProcess(settings);
    }

    Journeys() {
        this(LifecycleSettings.defaults());
    }

    static Migration aQueuedMigration(String uuid, String source, Instant at) {
        return Migration.queued(1, uuid, new Instance("vm-" + uuid, "vm", RAM_MB, 2, 20, "p", "u"), source, null,
                false, false, at);
    }

    static Migration aQueuedMigration() {
        return aQueuedMigration("m-1", SOURCE, T0);
    }

    Migration in(MigrationStatus status) {
        Migration queued = process.start(aQueuedMigration(), new SourceFacts(true, true, null), T0).migration();
        return switch (status) {
            case ACCEPTED -> new Migration(queued.id(), queued.uuid(), queued.instance(), MigrationStatus.ACCEPTED, 1,
                    SOURCE, null, null, false, false, JobFigures.NONE, T0, T0, null, null, null, null, false, false,
                    false, List.of(), List.of(), null, null, 0, null);
            case QUEUED -> queued;
            case PREPARING -> process.admit(queued, Set.of(), at(1)).migration();
            case RUNNING -> running();
            case RUNNING_POST_COPY -> then(running(), new MigrationInput.Progress(reading(10, MigrationPhase.POST_COPY), at(10)));
            case POST_MIGRATING -> then(running(), jobEnded(JobOutcome.COMPLETED));
            case COMPLETED -> then(then(then(running(), jobEnded(JobOutcome.COMPLETED)),
                    done(DEST, AgentStep.POST_MIGRATE_DESTINATION)), done(SOURCE, AgentStep.CLEANUP_SOURCE));
            case FAILED -> then(process.admit(queued, Set.of(), at(1)).migration(),
                    new MigrationInput.NoValidHost("No valid host was found.", at(2)));
            case CANCELLED -> then(queued, new MigrationInput.AbortRequested(at(2)));
            case ERROR -> then(in(MigrationStatus.RUNNING_POST_COPY), jobEnded(JobOutcome.FAILED));
        };
    }

    /** Preparing, the destination claimed and waiting for its answer. */
    Migration preparingAt(String dest, List<String> alternates) {
        Migration preparing = in(MigrationStatus.PREPARING);
        return then(preparing, new DestinationClaimed(dest, alternates, at(2)));
    }

    /** Preparing, the destination prepared and the source checked: the start is on its way to the source. */
    Migration starting() {
        Migration m = preparingAt(DEST, List.of(ALTERNATE));
        m = then(m, done(DEST, AgentStep.PREPARE_DESTINATION));
        return then(m, done(SOURCE, AgentStep.CHECK_SOURCE));
    }

    Migration running() {
        return then(starting(), done(SOURCE, AgentStep.START_MIGRATION));
    }

    Migration then(Migration m, MigrationInput input) {
        return process.decide(m, input).migration();
    }

    Step step(Migration m, MigrationInput input) {
        return process.decide(m, input);
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static AgentReplied done(String host, AgentStep step) {
        return new AgentReplied(host, step, true, null, at(3));
    }

    static AgentReplied refused(String host, AgentStep step, String why) {
        return new AgentReplied(host, step, false, why, at(3));
    }

    static JobEnded jobEnded(JobOutcome outcome) {
        return new JobEnded(outcome, outcome == JobOutcome.COMPLETED ? null : "job " + outcome, JobFigures.NONE, at(20));
    }

    /** A pre-copy (or post-copy) reading {@code seconds} into the stream: 1 Gbit/s, little dirtying. */
    static ProgressReading reading(long seconds, MigrationPhase phase) {
        return reading(seconds, Bandwidth.ofMBps(125), Bandwidth.ofMBps(5), Duration.ofMillis(50), phase);
    }

    static ProgressReading reading(long seconds, Bandwidth bandwidth, Bandwidth dirtyRate, Duration limit,
                                   MigrationPhase phase) {
        ByteSize total = ByteSize.ofMiB(RAM_MB);
        long sent = Math.min(total.bytes(), bandwidth.bytesPerSecond() * seconds);
        return new ProgressReading(at(5 + seconds), Duration.ofSeconds(seconds), 1, total, ByteSize.ofBytes(sent),
                total.minus(ByteSize.ofBytes(sent)), ByteSize.ZERO, ByteSize.ZERO, ByteSize.ZERO, dirtyRate, bandwidth,
                limit, Duration.ofMillis(100), 0, phase);
    }

    static MigrationInput.Progress progress(ProgressReading reading) {
        return new MigrationInput.Progress(reading, reading.readAt());
    }

    /** Effects as short strings: {@code STEP@host} or {@code select}. */
    static List<String> names(List<Effect> effects) {
        return effects.stream().map(e -> switch (e) {
            case Effect.ToHost h -> h.step() + "@" + h.host();
            case Effect.SelectDestination s -> "select";
        }).toList();
    }
}
