package io.ferry.agent.adapter.libvirt;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.ferry.agent.domain.DirtyRateSample;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each running domain's dirty rate for the inventory, when {@code ferry.agent.libvirt.dirty-rate-calc} is on: QEMU's
 * calc-dirty-rate ({@code virDomainStartDirtyRateCalc}) over that period, started on a domain at most every
 * {@code ferry.agent.dirty-rate-interval} and never while a migration of it runs; the inventory reports the last
 * result ({@code dirtyrate.*} stats), including the one taken just before a migration's stream. libvirt runs the
 * measurement as a modifying job: a migration about to stream first waits for a measurement this driver started on
 * its domain to end ({@link #awaitOwnMeasurement}), since a stream that began while one ran could hang.
 */
final class DomainDirtyRates {

    private static final Logger log = LoggerFactory.getLogger(DomainDirtyRates.class);
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final Duration period;
    private final Duration interval;
    private final Clock clock;
    /** The last result per domain uuid. */
    private final Map<String, DirtyRateSample> last = new ConcurrentHashMap<>();
    /** When this driver last started a measurement per domain uuid (epoch ms). */
    private final Map<String, Long> started = new ConcurrentHashMap<>();

    DomainDirtyRates(Duration period, Duration interval, Clock clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("ferry.agent.dirty-rate-interval must be positive: " + interval);
        }
        this.period = period;
        this.interval = interval;
        this.clock = clock;
    }

    boolean enabled() {
        return !period.isZero();
    }

    /**
     * The domain's last measured dirty rate: reads a result that came in since, then starts a new measurement when
     * none was started within the interval and the domain is not being migrated. Empty until one completed.
     */
    Optional<DirtyRateSample> measure(Pointer domain, String uuid, boolean migrating) {
        if (!enabled()) {
            return Optional.empty();
        }
        long now = clock.millis();
        Long since = started.get(uuid);
        boolean measuring = since != null && now < since + period.toMillis();
        if (!measuring) {
            read(domain, since == null ? now - period.toMillis() : since).ifPresent(s -> last.put(uuid, s));
        }
        if (!migrating && (since == null || now >= since + interval.toMillis())) {
            // noted first: a migration starting meanwhile waits for it
            started.put(uuid, now);
            if (LibvirtNative.LIB.virDomainStartDirtyRateCalc(domain, (int) period.toSeconds(), 0) < 0) {
                log.debug("no dirty rate measurement of {}: {}", uuid, LibvirtNative.LIB.virGetLastErrorMessage());
                if (since == null) {
                    started.remove(uuid);
                } else {
                    started.put(uuid, since);
                }
            }
        }
        return Optional.ofNullable(last.get(uuid));
    }

    /** A result taken otherwise (just before a migration's stream) is the domain's last one. */
    void record(String uuid, DirtyRateSample sample) {
        last.put(uuid, sample);
    }

    /** Waits (on a migration's own thread) until a measurement this driver started on the domain has ended. */
    void awaitOwnMeasurement(String uuid) throws InterruptedException {
        Long since = started.get(uuid);
        if (since == null) {
            return;
        }
        long wait = since + period.toMillis() + GRACE.toMillis() - clock.millis();
        if (wait > 0) {
            log.info("{}: waiting {} ms for its dirty rate measurement to end before streaming", uuid, wait);
            TimeUnit.MILLISECONDS.sleep(wait);
        }
    }

    /**
     * The domain's last completed calc-dirty-rate ({@code dirtyrate.*} stats, a query job); empty when none completed
     * or the stats cannot be read now.
     *
     * @param startedAtMillis when the measurement read was started (the stats say it on QEMU's own clock)
     */
    static Optional<DirtyRateSample> read(Pointer domain, long startedAtMillis) {
        PointerByReference records = new PointerByReference();
        if (LibvirtNative.LIB.virDomainListGetStats(new Pointer[] {domain, null},
                LibvirtNative.VIR_DOMAIN_STATS_DIRTYRATE, records, 0) < 0 || records.getValue() == null) {
            log.debug("dirty rate not readable now: {}", LibvirtNative.LIB.virGetLastErrorMessage());
            return Optional.empty();
        }
        try {
            Pointer first = records.getValue().getPointer(0);
            if (first == null) {
                return Optional.empty();
            }
            // virDomainStatsRecord: {virDomainPtr dom; virTypedParameterPtr params; int nparams;}
            Pointer params = first.getPointer(Native.POINTER_SIZE);
            int count = first.getInt(2L * Native.POINTER_SIZE);
            OptionalLong status = TypedParams.integer(params, count, "dirtyrate.calc_status");
            OptionalLong mibps = TypedParams.llong(params, count, "dirtyrate.megabytes_per_second");
            if (status.orElse(0) != LibvirtNative.VIR_DOMAIN_DIRTYRATE_MEASURED || mibps.isEmpty()) {
                return Optional.empty();
            }
            long seconds = TypedParams.integer(params, count, "dirtyrate.calc_period").orElse(1);
            return Optional.of(new DirtyRateSample(Math.max(0, mibps.getAsLong()) * 1024 * 1024, startedAtMillis,
                    Math.max(1, seconds) * 1000));
        } finally {
            LibvirtNative.LIB.virDomainStatsRecordListFree(records.getValue());
        }
    }
}
