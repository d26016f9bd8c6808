package io.ferry.agent.adapter.sim;

import io.ferry.agent.domain.DirtyRateSample;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import io.ferry.agent.domain.MigrationOrder;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated hypervisor daemon's wire format: one record per line, each a form-encoded
 * ({@code key=value&key=value}, UTF-8 percent-encoding) map. Small, dependency-free and readable with curl.
 */
final class SimWire {

    private SimWire() {
    }

    static String line(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (line == null || line.isBlank()) {
            return fields;
        }
        for (String pair : line.trim().split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.put(key, value);
        }
        return fields;
    }

    static List<Map<String, String>> lines(String body) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                out.add(fields(line));
            }
        }
        return out;
    }

    static Map<String, String> guest(Guest guest) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("uuid", guest.uuid());
        f.put("name", guest.name());
        f.put("project", guest.projectId());
        f.put("user", guest.userId());
        f.put("flavor", guest.flavorName());
        f.put("memoryMb", Long.toString(guest.memoryMb()));
        f.put("vcpus", Integer.toString(guest.vcpus()));
        f.put("diskGb", Integer.toString(guest.diskGb()));
        f.put("workload", guest.workload());
        f.put("pci", String.join("\t", guest.pciDevices()));
        return f;
    }

    static Guest guest(Map<String, String> f) {
        String pci = f.getOrDefault("pci", "");
        return new Guest(f.get("uuid"), f.get("name"), f.get("project"), f.get("user"), f.get("flavor"),
                Long.parseLong(f.get("memoryMb")), Integer.parseInt(f.get("vcpus")), Integer.parseInt(f.get("diskGb")),
                f.get("workload"), pci.isEmpty() ? List.of() : Arrays.asList(pci.split("\t")));
    }

    static Map<String, String> order(MigrationOrder order) {
        Map<String, String> f = guest(order.guest());
        f.put("migration", order.migrationUuid());
        f.put("source", order.sourceHost());
        f.put("destination", order.destinationHost());
        f.put("block", Boolean.toString(order.blockMigration()));
        f.put("maxDowntimeMs", Long.toString(order.maxDowntime().toMillis()));
        f.put("bandwidthMibps", Long.toString(order.bandwidthMibps()));
        f.put("autoConverge", Boolean.toString(order.autoConverge()));
        f.put("postCopy", Boolean.toString(order.postCopyPermitted()));
        return f;
    }

    static MigrationOrder order(Map<String, String> f) {
        return new MigrationOrder(f.get("migration"), guest(f), f.get("source"), f.get("destination"),
                Boolean.parseBoolean(f.get("block")), Duration.ofMillis(Long.parseLong(f.get("maxDowntimeMs"))),
                Long.parseLong(f.get("bandwidthMibps")), Boolean.parseBoolean(f.get("autoConverge")),
                Boolean.parseBoolean(f.get("postCopy")));
    }

    static Map<String, String> reading(String migrationUuid, JobReading r) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("type", "progress");
        f.put("migration", migrationUuid);
        f.put("at", Long.toString(r.readingTimeMillis()));
        f.put("elapsed", Long.toString(r.elapsedMillis()));
        f.put("iteration", Long.toString(r.iteration()));
        f.put("total", Long.toString(r.memoryTotalBytes()));
        f.put("processed", Long.toString(r.memoryProcessedBytes()));
        f.put("remaining", Long.toString(r.memoryRemainingBytes()));
        f.put("dirtyRate", Long.toString(r.dirtyRateBytesPerSec()));
        f.put("bandwidth", Long.toString(r.bandwidthBytesPerSec()));
        f.put("downtimeLimit", Long.toString(r.downtimeLimitMillis()));
        f.put("expectedDowntime", Long.toString(r.expectedDowntimeMillis()));
        f.put("throttle", Integer.toString(r.throttlePercent()));
        f.put("phase", r.phase().name());
        if (r.measuredDirtyRate() != null) {
            f.put("measuredDirtyRate", Long.toString(r.measuredDirtyRate().bytesPerSecond()));
            f.put("measuredAt", Long.toString(r.measuredDirtyRate().startedAtMillis()));
            f.put("measuredOverMs", Long.toString(r.measuredDirtyRate().periodMillis()));
        }
        return f;
    }

    static JobReading reading(Map<String, String> f) {
        return new JobReading(l(f, "at"), l(f, "elapsed"), l(f, "iteration"), l(f, "total"), l(f, "processed"),
                l(f, "remaining"), l(f, "dirtyRate"), l(f, "bandwidth"), l(f, "downtimeLimit"),
                l(f, "expectedDowntime"), (int) l(f, "throttle"), JobReading.JobPhase.valueOf(f.get("phase")),
                f.containsKey("measuredDirtyRate") ? new DirtyRateSample(l(f, "measuredDirtyRate"), l(f, "measuredAt"),
                        l(f, "measuredOverMs")) : null);
    }

    static Map<String, String> end(String migrationUuid, JobEnd e) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("type", "ended");
        f.put("migration", migrationUuid);
        f.put("outcome", e.outcome().name());
        f.put("reason", e.reason());
        f.put("downtime", Long.toString(e.downtimeMillis()));
        f.put("elapsed", Long.toString(e.elapsedMillis()));
        f.put("iterations", Long.toString(e.iterations()));
        f.put("total", Long.toString(e.memoryTotalBytes()));
        f.put("transferred", Long.toString(e.memoryTransferredBytes()));
        f.put("postCopy", Boolean.toString(e.postCopy()));
        return f;
    }

    static JobEnd end(Map<String, String> f) {
        return new JobEnd(JobEnd.Outcome.valueOf(f.get("outcome")), f.get("reason"), l(f, "downtime"),
                l(f, "elapsed"), l(f, "iterations"), l(f, "total"), l(f, "transferred"),
                Boolean.parseBoolean(f.get("postCopy")));
    }

    private static long l(Map<String, String> f, String key) {
        return Long.parseLong(f.get(key));
    }
}
