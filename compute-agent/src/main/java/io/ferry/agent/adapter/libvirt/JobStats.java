package io.ferry.agent.adapter.libvirt;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code virDomainGetJobStats} answer: the job type and the numeric fields Ferry reads.
 *
 * @param type libvirt's job type: 0 none, 1 bounded, 2 unbounded, 3 completed, 4 failed, 5 cancelled
 */
record JobStats(int type, Map<String, Long> values) {

    static final String[] ULONG_KEYS = {"time_elapsed", "memory_total", "memory_processed", "memory_remaining",
            "memory_dirty_rate", "memory_page_size", "memory_iteration", "memory_bps", "memory_postcopy_requests",
            "downtime", "setup_time", "disk_total", "disk_processed", "disk_remaining"};

    /** {@code auto_converge_throttle} (percent) and {@code operation} (what the job does: 5 = outgoing migration). */
    static final String[] INT_KEYS = {"auto_converge_throttle", "operation"};
    /** {@code VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT}. */
    static final long OPERATION_MIGRATION_OUT = 5;

    /** Reads the live job ({@code flags} 0) or the completed one (1); throws with libvirt's message on failure. */
    static JobStats read(Pointer domain, int flags) {
        IntByReference type = new IntByReference();
        PointerByReference params = new PointerByReference();
        IntByReference count = new IntByReference();
        if (LibvirtNative.LIB.virDomainGetJobStats(domain, type, params, count, flags) < 0) {
            throw new LibvirtCallFailed(LibvirtNative.LIB.virGetLastErrorMessage());
        }
        try {
            return of(type.getValue(), params.getValue(), count.getValue());
        } finally {
            if (params.getValue() != null) {
                LibvirtNative.LIB.virTypedParamsFree(params.getValue(), count.getValue());
            }
        }
    }

    /** The figures in a typed-parameter list libvirt handed over (a job-stats answer, a JOB_COMPLETED event). */
    static JobStats of(int type, Pointer params, int count) {
        Map<String, Long> values = new LinkedHashMap<>();
        if (params != null) {
            for (String key : ULONG_KEYS) {
                TypedParams.ulong(params, count, key).ifPresent(v -> values.put(key, v));
            }
            for (String key : INT_KEYS) {
                TypedParams.integer(params, count, key).ifPresent(v -> values.put(key, v));
            }
        }
        return new JobStats(type, values);
    }

    boolean active() {
        return type == 1 || type == 2;
    }

    /** An outgoing migration runs (libvirt reports the job's operation since 3.3). */
    boolean migratingOut() {
        return active() && get("operation") == OPERATION_MIGRATION_OUT;
    }

    long get(String key) {
        return values.getOrDefault(key, 0L);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** Dirty rate in bytes per second (libvirt reports pages per second). */
    long dirtyRateBytesPerSec() {
        long pageSize = values.getOrDefault("memory_page_size", 4096L);
        return get("memory_dirty_rate") * pageSize;
    }
}
