package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.MigrationView;
import io.ferry.gateway.app.ServiceCommands.ServiceState;
import io.ferry.gateway.domain.Microversion;
import io.ferry.messaging.readmodel.HostDirectory.Placement;
import io.ferry.schemas.common.InstanceSpec;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Nova's JSON shapes for servers, migrations and hypervisors: the one place field names are spelled. */
final class NovaViews {

    private static final DateTimeFormatter SERVER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MIGRATION_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private NovaViews() {
    }

    static String serverTime(long millis) {
        return SERVER_TIME.format(Instant.ofEpochMilli(millis));
    }

    static String migrationTime(long millis) {
        return MIGRATION_TIME.format(Instant.ofEpochMilli(millis));
    }

    static Map<String, Object> serverSummary(Placement p, String baseUrl) {
        InstanceSpec spec = p.instance().getSpec();
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("id", spec.getUuid());
        server.put("name", spec.getName());
        server.put("links", links(baseUrl + "/v2.1/servers/" + spec.getUuid()));
        return server;
    }

    /**
     * A server as {@code GET /servers/{id}} shows it; the {@code OS-EXT-SRV-ATTR} attributes only to admins (Nova's
     * default policy).
     */
    static Map<String, Object> serverDetail(Placement p, boolean migrating, HostInventory host, boolean admin,
                                            Microversion v, String baseUrl) {
        InstanceSpec spec = p.instance().getSpec();
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("id", spec.getUuid());
        server.put("name", spec.getName());
        server.put("status", migrating ? "MIGRATING" : vmStatus(p.instance().getVmState()));
        server.put("tenant_id", spec.getProjectId());
        server.put("user_id", spec.getUserId());
        server.put("metadata", Map.of());
        server.put("hostId", hostId(spec.getProjectId(), p.host()));
        server.put("image", "");
        if (v.atLeast(2, 47)) {
            Map<String, Object> flavor = new LinkedHashMap<>();
            flavor.put("vcpus", spec.getVcpus());
            flavor.put("ram", spec.getMemoryMb());
            flavor.put("disk", spec.getDiskGb());
            flavor.put("ephemeral", 0);
            flavor.put("swap", 0);
            flavor.put("original_name", spec.getFlavorName());
            flavor.put("extra_specs", Map.of());
            server.put("flavor", flavor);
        } else {
            server.put("flavor", Map.of("id", spec.getFlavorName(), "links", List.of()));
        }
        server.put("created", serverTime(0));
        server.put("updated", serverTime(p.reportedAt()));
        server.put("addresses", Map.of());
        server.put("accessIPv4", "");
        server.put("accessIPv6", "");
        server.put("links", links(baseUrl + "/v2.1/servers/" + spec.getUuid()));
        server.put("OS-DCF:diskConfig", "MANUAL");
        server.put("progress", 0);
        server.put("OS-EXT-AZ:availability_zone", Optional.ofNullable(spec.getAvailabilityZone()).orElse("nova"));
        server.put("config_drive", "");
        server.put("key_name", null);
        server.put("OS-SRV-USG:launched_at", serverTime(0).replace("Z", ".000000"));
        server.put("OS-SRV-USG:terminated_at", null);
        if (admin) {
            server.put("OS-EXT-SRV-ATTR:host", p.host());
            server.put("OS-EXT-SRV-ATTR:instance_name", spec.getName());
            server.put("OS-EXT-SRV-ATTR:hypervisor_hostname", host == null ? p.host() : host.getNode());
            if (v.atLeast(2, 3)) {
                server.put("OS-EXT-SRV-ATTR:reservation_id", "r-" + spec.getUuid().substring(0, 8));
                server.put("OS-EXT-SRV-ATTR:launch_index", 0);
                server.put("OS-EXT-SRV-ATTR:hostname", spec.getName());
                server.put("OS-EXT-SRV-ATTR:kernel_id", "");
                server.put("OS-EXT-SRV-ATTR:ramdisk_id", "");
                server.put("OS-EXT-SRV-ATTR:root_device_name", "/dev/vda");
                server.put("OS-EXT-SRV-ATTR:user_data", null);
            }
        } else if (v.atLeast(2, 90)) {
            server.put("OS-EXT-SRV-ATTR:hostname", spec.getName());
        }
        server.put("OS-EXT-STS:task_state", migrating ? "migrating" : p.instance().getTaskState());
        server.put("OS-EXT-STS:vm_state", p.instance().getVmState());
        server.put("OS-EXT-STS:power_state", p.instance().getPowerState());
        server.put("os-extended-volumes:volumes_attached", List.of());
        server.put("security_groups", List.of(Map.of("name", "default")));
        if (v.atLeast(2, 9)) {
            server.put("locked", false);
        }
        if (v.atLeast(2, 16) && admin) {
            server.put("host_status", host == null ? "UNKNOWN" : "UP");
        }
        if (v.atLeast(2, 19)) {
            server.put("description", null);
        }
        if (v.atLeast(2, 26)) {
            server.put("tags", List.of());
        }
        if (v.atLeast(2, 63)) {
            server.put("trusted_image_certificates", null);
        }
        if (v.atLeast(2, 73)) {
            server.put("locked_reason", null);
        }
        if (v.atLeast(2, 96)) {
            server.put("pinned_availability_zone", null);
        }
        return server;
    }

    /** Nova's hostId: a hash of the project and host, so tenants cannot learn host names. */
    private static String hostId(String projectId, String host) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-224")
                    .digest((projectId + host).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String vmStatus(String vmState) {
        return switch (vmState) {
            case "active" -> "ACTIVE";
            case "paused" -> "PAUSED";
            case "stopped" -> "SHUTOFF";
            case "error" -> "ERROR";
            default -> vmState.toUpperCase();
        };
    }

    /** A server migration ({@code /servers/{id}/migrations}), with live figures when a reading exists. */
    static Map<String, Object> serverMigration(MigrationRecord r, Optional<MigrationProgress> reading, Microversion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created_at", migrationTime(r.getCreatedAt()));
        m.put("dest_compute", r.getDestHost());
        m.put("dest_host", r.getDestHost() == null ? null : "127.0.0.1");
        m.put("dest_node", r.getDestNode());
        m.put("disk_processed_bytes", reading.map(MigrationProgress::getDiskProcessedBytes).orElse(r.getDiskProcessedBytes()));
        m.put("disk_remaining_bytes", reading.map(MigrationProgress::getDiskRemainingBytes).orElse(r.getDiskRemainingBytes()));
        m.put("disk_total_bytes", reading.map(MigrationProgress::getDiskTotalBytes).orElse(r.getDiskTotalBytes()));
        m.put("id", r.getId());
        m.put("memory_processed_bytes", reading.map(MigrationProgress::getMemoryProcessedBytes).orElse(r.getMemoryProcessedBytes()));
        m.put("memory_remaining_bytes", reading.map(MigrationProgress::getMemoryRemainingBytes).orElse(r.getMemoryRemainingBytes()));
        m.put("memory_total_bytes", reading.map(MigrationProgress::getMemoryTotalBytes).orElse(r.getMemoryTotalBytes()));
        m.put("server_uuid", r.getInstance().getUuid());
        m.put("source_compute", r.getSourceHost());
        m.put("source_node", r.getSourceNode());
        m.put("status", r.getStatus());
        m.put("updated_at", migrationTime(r.getUpdatedAt()));
        if (v.atLeast(2, 59)) {
            m.put("uuid", r.getUuid());
        }
        if (v.atLeast(2, 80)) {
            m.put("user_id", r.getUserId());
            m.put("project_id", r.getProjectId());
        }
        return m;
    }

    /** An {@code /os-migrations} entry. */
    static Map<String, Object> migration(MigrationRecord r, Microversion v, String baseUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created_at", migrationTime(r.getCreatedAt()));
        m.put("dest_compute", r.getDestHost());
        m.put("dest_host", r.getDestHost() == null ? null : "127.0.0.1");
        m.put("dest_node", r.getDestNode());
        m.put("id", r.getId());
        m.put("instance_uuid", r.getInstance().getUuid());
        m.put("new_instance_type_id", 1);
        m.put("old_instance_type_id", 1);
        m.put("source_compute", r.getSourceHost());
        m.put("source_node", r.getSourceNode());
        m.put("source_region", "RegionOne");
        m.put("dest_region", "RegionOne");
        m.put("status", r.getStatus());
        m.put("updated_at", migrationTime(r.getUpdatedAt()));
        if (v.atLeast(2, 23)) {
            m.put("migration_type", r.getMigrationType());
            if (MigrationView.isInProgress(r)) {
                m.put("links", links(baseUrl + "/v2.1/servers/" + r.getInstance().getUuid() + "/migrations/" + r.getId()));
            }
        }
        if (v.atLeast(2, 59)) {
            m.put("uuid", r.getUuid());
        }
        if (v.atLeast(2, 80)) {
            m.put("user_id", r.getUserId());
            m.put("project_id", r.getProjectId());
        }
        return m;
    }

    /** Nova's hypervisor id: the compute node's integer id, or its uuid from 2.53. */
    static Object hypervisorId(String host, Microversion v) {
        return v.atLeast(2, 53) ? uuidOf(host) : intId("hypervisor:" + host);
    }

    /** Nova's service id: an integer, or the service's uuid from 2.53. */
    static Object serviceId(String host, Microversion v) {
        return v.atLeast(2, 53) ? uuidOf("nova-compute@" + host) : intId("service:" + host);
    }

    /** A stable positive integer id for a name (hosts have no database row to number them). */
    static long intId(String name) {
        return Math.floorMod(name.hashCode(), 1_000_000_000L) + 1;
    }

    /**
     * A hypervisor. {@code servers} is null when not asked for; an empty list is shown only from 2.75, as Nova
     * does.
     */
    static Map<String, Object> hypervisor(HostInventory h, ServiceState service, boolean up, boolean detail,
                                          List<Placement> servers, Microversion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", hypervisorId(h.getHost(), v));
        m.put("hypervisor_hostname", h.getNode());
        m.put("state", up ? "up" : "down");
        m.put("status", service.enabled() ? "enabled" : "disabled");
        if (detail) {
            m.put("hypervisor_type", h.getHypervisorType());
            m.put("hypervisor_version", h.getHypervisorVersion());
            m.put("host_ip", h.getHostIp());
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", serviceId(h.getHost(), v));
            s.put("host", h.getHost());
            s.put("disabled_reason", service.disabledReason());
            m.put("service", s);
            if (!v.atLeast(2, 88)) {
                m.put("vcpus", h.getVcpus());
                m.put("memory_mb", h.getMemoryMb());
                m.put("local_gb", h.getDiskGb());
                m.put("vcpus_used", h.getVcpusUsed());
                m.put("memory_mb_used", h.getMemoryMbUsed() + h.getMemoryMbReserved());
                m.put("local_gb_used", h.getDiskGbUsed());
                m.put("free_ram_mb", h.getMemoryMb() - h.getMemoryMbUsed() - h.getMemoryMbReserved());
                m.put("free_disk_gb", h.getDiskGb() - h.getDiskGbUsed());
                m.put("current_workload", h.getMigrationsIn() + h.getMigrationsOut());
                m.put("running_vms", h.getInstances().size());
                m.put("disk_available_least", h.getDiskGb() - h.getDiskGbUsed());
                Map<String, Object> cpu = new LinkedHashMap<>();
                cpu.put("arch", h.getCpuArch());
                cpu.put("model", h.getCpuModel());
                cpu.put("vendor", h.getCpuVendor());
                cpu.put("features", h.getCpuFeatures());
                if (v.atLeast(2, 28)) {
                    m.put("cpu_info", cpu);
                } else {
                    m.put("cpu_info", "{\"arch\": \"" + h.getCpuArch() + "\", \"model\": \"" + h.getCpuModel()
                            + "\", \"vendor\": \"" + h.getCpuVendor() + "\", \"features\": ["
                            + String.join(", ", h.getCpuFeatures().stream().map(f -> "\"" + f + "\"").toList()) + "]}");
                }
            } else {
                m.put("uptime", null);
            }
        }
        if (servers != null && !servers.isEmpty()) {
            m.put("servers", servers.stream().map(p -> Map.of("name", p.instance().getSpec().getName(),
                    "uuid", p.instance().getSpec().getUuid())).toList());
        } else if (servers != null && v.atLeast(2, 75)) {
            m.put("servers", List.of());
        }
        return m;
    }

    /** An os-services entry. */
    static Map<String, Object> service(HostInventory h, ServiceState state, boolean up, Microversion v) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", serviceId(h.getHost(), v));
        s.put("binary", "nova-compute");
        s.put("host", h.getHost());
        s.put("zone", h.getAvailabilityZone() == null ? "nova" : h.getAvailabilityZone());
        s.put("status", state.enabled() ? "enabled" : "disabled");
        s.put("state", up && !state.forcedDown() ? "up" : "down");
        s.put("updated_at", migrationTime(h.getHeartbeatAt()));
        s.put("disabled_reason", state.disabledReason());
        if (v.atLeast(2, 11)) {
            s.put("forced_down", state.forcedDown());
        }
        return s;
    }

    static String uuidOf(String name) {
        return java.util.UUID.nameUUIDFromBytes(("ferry:" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    static List<Map<String, String>> links(String href) {
        return List.of(Map.of("rel", "self", "href", href), Map.of("rel", "bookmark", "href", href.replace("/v2.1", "")));
    }
}
