package io.ferry.agent.domain.sim;

import java.time.Duration;
import java.util.Optional;

/**
 * One reading of a job, shaped like libvirt's {@code virDomainGetJobStats}.
 *
 * @param at                 simulated time of the reading
 * @param phase              job phase
 * @param memoryTotal        guest RAM
 * @param memoryProcessed    memory bytes put on the wire so far (zero pages count their headers)
 * @param memoryRemaining    memory bytes still to send (current round plus dirtied since the last sync)
 * @param diskTotal          local disk size for a block migration (zero otherwise)
 * @param diskProcessed      disk bytes sent
 * @param diskRemaining      disk bytes still to mirror
 * @param dirtyRate          dirty rate measured over the last completed sync period (>= 1 s)
 * @param iteration          QEMU's dirty sync count (1 after the setup sync; +1 per completed round)
 * @param bandwidth          the stream's current rate (re-measured every tick, ~100 ms)
 * @param expectedDowntime   remaining memory / bandwidth, as QEMU estimates it; empty while nothing flows
 * @param actualDowntime     how long the guest was paused, once it has been resumed on the destination
 * @param setupTime          time spent in setup
 * @param elapsed            time since the job started
 * @param cpuThrottle        auto-converge throttle p in [0, 0.99]
 * @param postCopyBlocktime  estimated time a vCPU spent stalled on missing pages during post-copy
 */
public record JobStats(Duration at, Phase phase,
                       ByteSize memoryTotal, ByteSize memoryProcessed, ByteSize memoryRemaining,
                       ByteSize diskTotal, ByteSize diskProcessed, ByteSize diskRemaining,
                       Bandwidth dirtyRate, long iteration, Bandwidth bandwidth,
                       Optional<Duration> expectedDowntime, Optional<Duration> actualDowntime,
                       Duration setupTime, Duration elapsed, double cpuThrottle, Duration postCopyBlocktime) {

    public ByteSize dataTotal() {
        return memoryTotal.plus(diskTotal);
    }

    public ByteSize dataProcessed() {
        return memoryProcessed.plus(diskProcessed);
    }

    public ByteSize dataRemaining() {
        return memoryRemaining.plus(diskRemaining);
    }

    /** The stream rate in Mbit/s, as libvirt's {@code mbps}. */
    public double mbps() {
        return bandwidth.mbitPerSecond();
    }
}
