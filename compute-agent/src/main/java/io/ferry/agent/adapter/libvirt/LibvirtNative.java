package io.ferry.agent.adapter.libvirt;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The libvirt C functions libvirt-java 0.5.2 does not wrap (typed-parameter migration, job stats, post-copy,
 * hypervisor CPU comparison), bound directly on {@code libvirt.so.0}. libvirt's errors are per thread: read
 * {@link #virGetLastErrorMessage()} on the thread whose call failed.
 */
interface LibvirtNative extends Library {

    LibvirtNative LIB = Native.load("virt", LibvirtNative.class);

    int VIR_MIGRATE_LIVE = 1;
    int VIR_MIGRATE_PEER2PEER = 1 << 1;
    int VIR_MIGRATE_PERSIST_DEST = 1 << 3;
    int VIR_MIGRATE_UNDEFINE_SOURCE = 1 << 4;
    int VIR_MIGRATE_NON_SHARED_INC = 1 << 7;
    int VIR_MIGRATE_AUTO_CONVERGE = 1 << 13;
    int VIR_MIGRATE_POSTCOPY = 1 << 15;
    int VIR_MIGRATE_TLS = 1 << 16;
    int VIR_MIGRATE_PARALLEL = 1 << 17;

    int VIR_DOMAIN_JOB_STATS_COMPLETED = 1;
    /** Read the completed job's record without consuming it (libvirt drops it after a plain read). */
    int VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED = 1 << 1;
    int VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE = 1;
    /** {@code virConnectCompareHypervisorCPU}: the host cannot provide the CPU. */
    int VIR_CPU_COMPARE_INCOMPATIBLE = 0;

    int VIR_DOMAIN_JOB_NONE = 0;
    /** {@code virDomainGetJobStats} type of a completed job that was cancelled. */
    int VIR_DOMAIN_JOB_CANCELLED = 5;

    int VIR_DOMAIN_METADATA_ELEMENT = 2;
    int VIR_DOMAIN_AFFECT_LIVE = 1;
    int VIR_DOMAIN_PAUSED = 3;
    int VIR_DOMAIN_PAUSED_POSTCOPY = 12;

    /** {@code virConnectDomainEventRegisterAny} event ids Ferry listens to. */
    int VIR_DOMAIN_EVENT_ID_LIFECYCLE = 0;
    int VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION = 20;
    int VIR_DOMAIN_EVENT_ID_JOB_COMPLETED = 21;

    /** {@code VIR_DOMAIN_EVENT_ID_LIFECYCLE}: {@code (conn, dom, event, detail, opaque)}. */
    interface LifecycleCallback extends Callback {
        int invoke(Pointer conn, Pointer domain, int event, int detail, Pointer opaque);
    }

    /** {@code VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION}: {@code (conn, dom, iteration, opaque)}. */
    interface MigrationIterationCallback extends Callback {
        void invoke(Pointer conn, Pointer domain, int iteration, Pointer opaque);
    }

    /** {@code VIR_DOMAIN_EVENT_ID_JOB_COMPLETED}: {@code (conn, dom, params, nparams, opaque)}; libvirt frees params. */
    interface JobCompletedCallback extends Callback {
        void invoke(Pointer conn, Pointer domain, Pointer params, int nparams, Pointer opaque);
    }

    /** Installs libvirt's own event loop implementation; once per process, before the connections that use it. */
    int virEventRegisterDefaultImpl();

    /** Runs one iteration of the default event loop (blocks until something happens). */
    int virEventRunDefaultImpl();

    /** Returns the callback id; {@code domain} null listens to every domain of the connection. */
    int virConnectDomainEventRegisterAny(Pointer conn, Pointer domain, int eventId, Callback callback, Pointer opaque,
                                         Pointer freeCallback);

    int virConnectDomainEventDeregisterAny(Pointer conn, int callbackId);

    /** Fills {@code buf} (at least 37 bytes) with the domain's UUID; local, no round trip. */
    int virDomainGetUUIDString(Pointer domain, byte[] buf);

    Pointer virDomainLookupByUUIDString(Pointer conn, String uuid);

    /** Free memory (bytes) of cells {@code startCell..}; returns how many it filled. */
    int virNodeGetCellsFreeMemory(Pointer conn, long[] freeMems, int startCell, int maxCells);

    int virDomainFree(Pointer domain);

    int virDomainMigrateToURI3(Pointer domain, String dconnuri, Pointer params, int nparams, int flags);

    int virDomainGetJobStats(Pointer domain, IntByReference type, PointerByReference params, IntByReference nparams,
                             int flags);

    int virDomainMigrateSetMaxDowntime(Pointer domain, long downtimeMillis, int flags);

    int virDomainMigrateStartPostCopy(Pointer domain, int flags);

    int virDomainAbortJob(Pointer domain);

    int virDomainSuspend(Pointer domain);

    int virDomainGetState(Pointer domain, IntByReference state, IntByReference reason, int flags);

    int virDomainSetMetadata(Pointer domain, int type, String metadata, String key, String uri, int flags);

    /** The caller frees the answer ({@code free}). */
    Pointer virDomainGetMetadata(Pointer domain, int type, String uri, int flags);

    int virConnectCompareHypervisorCPU(Pointer conn, String emulator, String arch, String machine, String virttype,
                                       String xmlCpu, int flags);

    int virTypedParamsAddString(PointerByReference params, IntByReference nparams, IntByReference maxparams,
                                String name, String value);

    int virTypedParamsAddULLong(PointerByReference params, IntByReference nparams, IntByReference maxparams,
                                String name, long value);

    int virTypedParamsAddInt(PointerByReference params, IntByReference nparams, IntByReference maxparams,
                             String name, int value);

    int virTypedParamsGetULLong(Pointer params, int nparams, String name, LongByReference value);

    int virTypedParamsGetInt(Pointer params, int nparams, String name, IntByReference value);

    void virTypedParamsFree(Pointer params, int nparams);

    /** {@code virConnectGetAllDomainStats} / {@code virDomainListGetStats} group of calc-dirty-rate's result. */
    int VIR_DOMAIN_STATS_DIRTYRATE = 1 << 9;
    /** {@code dirtyrate.calc_status}: measured. */
    int VIR_DOMAIN_DIRTYRATE_MEASURED = 2;

    /** QEMU's calc-dirty-rate over {@code seconds} (1 to 60), page-sampling mode with flags 0 (libvirt 7.2). */
    int virDomainStartDirtyRateCalc(Pointer domain, int seconds, int flags);

    /** {@code doms} is NULL-terminated; the answer is a NULL-terminated array freed by virDomainStatsRecordListFree. */
    int virDomainListGetStats(Pointer[] doms, int stats, PointerByReference retStats, int flags);

    void virDomainStatsRecordListFree(Pointer stats);

    int virTypedParamsGetLLong(Pointer params, int nparams, String name, LongByReference value);

    String virGetLastErrorMessage();
}
