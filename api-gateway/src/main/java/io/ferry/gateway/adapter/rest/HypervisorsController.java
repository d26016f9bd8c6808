package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.ServiceCommands;
import io.ferry.gateway.domain.ApiPolicy;
import io.ferry.gateway.domain.Microversion;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.messaging.readmodel.HostDirectory.Placement;
import io.ferry.schemas.host.HostInventory;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code /os-hypervisors} (one hypervisor per compute host) and {@code /os-aggregates} (none). */
@RestController
public class HypervisorsController {

    private final HostDirectory hosts;
    private final ServiceCommands services;

    public HypervisorsController(HostDirectory hosts, ServiceCommands services) {
        this.hosts = hosts;
        this.services = services;
    }

    @GetMapping("/v2.1/os-hypervisors")
    public Map<String, Object> list(HttpServletRequest request) {
        Auth.require(request, ApiPolicy.HYPERVISORS_LIST);
        return listing(request, false);
    }

    @GetMapping("/v2.1/os-hypervisors/detail")
    public Map<String, Object> detail(HttpServletRequest request) {
        Auth.require(request, ApiPolicy.HYPERVISORS_DETAIL);
        return listing(request, true);
    }

    private Map<String, Object> listing(HttpServletRequest request, boolean detail) {
        Microversion v = ApiVersionFilter.of(request);
        String pattern = null;
        boolean withServers = false;
        if (v.atLeast(2, 53)) {
            Params.onlyAllowed(request, Set.of("limit", "marker", "hypervisor_hostname_pattern", "with_servers"));
            pattern = request.getParameter("hypervisor_hostname_pattern");
            String ws = request.getParameter("with_servers");
            withServers = ws != null && Params.strictBoolean("with_servers", ws);
        }
        Integer limit = v.atLeast(2, 33) ? Params.limit(request) : null;
        String marker = v.atLeast(2, 33) ? request.getParameter("marker") : null;
        List<HostInventory> nodes;
        boolean links = v.atLeast(2, 33);
        if (pattern != null) {
            if (request.getParameter("limit") != null || marker != null) {
                throw NovaApiException.badRequest("Paging over hypervisors with the hypervisor_hostname_pattern "
                        + "query parameter is not supported.");
            }
            nodes = search(pattern);
            links = false;
        } else {
            nodes = new ArrayList<>(hosts.hosts());
            nodes.sort(Comparator.comparing(h -> String.valueOf(NovaViews.hypervisorId(h.getHost(), v))));
            if (marker != null) {
                int at = -1;
                for (int i = 0; i < nodes.size(); i++) {
                    if (String.valueOf(NovaViews.hypervisorId(nodes.get(i).getHost(), v)).equals(marker)) {
                        at = i;
                    }
                }
                if (at < 0) {
                    throw NovaApiException.badRequest("marker [" + marker + "] not found");
                }
                nodes = nodes.subList(at + 1, nodes.size());
            }
            if (limit != null) {
                nodes = nodes.subList(0, Math.min(limit, nodes.size()));
            }
        }
        final boolean servers = withServers;
        List<Map<String, Object>> list = nodes.stream()
                .map(h -> view(h, detail, servers ? serversOn(h) : null, v)).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hypervisors", list);
        if (links && limit != null && limit > 0 && list.size() == limit) {
            body.put("hypervisors_links", List.of(Map.of("rel", "next", "href", ServersController.baseUrl()
                    + "/v2.1/os-hypervisors" + (detail ? "/detail" : "") + "?limit=" + limit + "&marker="
                    + list.getLast().get("id"))));
        }
        return body;
    }

    @GetMapping("/v2.1/os-hypervisors/statistics")
    public Map<String, Object> statistics(HttpServletRequest request) {
        Microversion v = ApiVersionFilter.of(request);
        if (v.atLeast(2, 88)) {
            throw NovaApiException.versionNotFound();
        }
        Auth.require(request, ApiPolicy.HYPERVISORS_STATISTICS);
        Map<String, Object> stats = new LinkedHashMap<>();
        List<HostInventory> all = hosts.hosts();
        stats.put("count", all.size());
        stats.put("vcpus", all.stream().mapToLong(HostInventory::getVcpus).sum());
        stats.put("memory_mb", all.stream().mapToLong(HostInventory::getMemoryMb).sum());
        stats.put("local_gb", all.stream().mapToLong(HostInventory::getDiskGb).sum());
        stats.put("vcpus_used", all.stream().mapToLong(HostInventory::getVcpusUsed).sum());
        stats.put("memory_mb_used", all.stream().mapToLong(h -> h.getMemoryMbUsed() + h.getMemoryMbReserved()).sum());
        stats.put("local_gb_used", all.stream().mapToLong(HostInventory::getDiskGbUsed).sum());
        stats.put("free_ram_mb", all.stream()
                .mapToLong(h -> h.getMemoryMb() - h.getMemoryMbUsed() - h.getMemoryMbReserved()).sum());
        stats.put("free_disk_gb", all.stream().mapToLong(h -> h.getDiskGb() - h.getDiskGbUsed()).sum());
        stats.put("current_workload", all.stream().mapToLong(h -> h.getMigrationsIn() + h.getMigrationsOut()).sum());
        stats.put("running_vms", all.stream().mapToLong(h -> h.getInstances().size()).sum());
        stats.put("disk_available_least", all.stream().mapToLong(h -> h.getDiskGb() - h.getDiskGbUsed()).sum());
        return Map.of("hypervisor_statistics", stats);
    }

    @GetMapping("/v2.1/os-hypervisors/{id}")
    public Map<String, Object> show(@PathVariable String id, HttpServletRequest request) {
        Microversion v = ApiVersionFilter.of(request);
        Auth.require(request, ApiPolicy.HYPERVISORS_SHOW);
        boolean withServers = false;
        if (v.atLeast(2, 53)) {
            Params.onlyAllowed(request, Set.of("with_servers"));
            String ws = request.getParameter("with_servers");
            withServers = ws != null && Params.strictBoolean("with_servers", ws);
        }
        HostInventory h = byId(id, v);
        return Map.of("hypervisor", view(h, true, withServers ? serversOn(h) : null, v));
    }

    @GetMapping("/v2.1/os-hypervisors/{id}/uptime")
    public Map<String, Object> uptime(@PathVariable String id, HttpServletRequest request) {
        Microversion v = ApiVersionFilter.of(request);
        if (v.atLeast(2, 88)) {
            throw NovaApiException.versionNotFound();
        }
        Auth.require(request, ApiPolicy.HYPERVISORS_SHOW);
        byId(id, v);
        throw new NovaApiException(org.springframework.http.HttpStatus.NOT_IMPLEMENTED,
                "Virt driver does not implement host uptime function.");
    }

    @GetMapping("/v2.1/os-hypervisors/{hostname}/search")
    public Map<String, Object> searchRoute(@PathVariable String hostname, HttpServletRequest request) {
        Microversion v = ApiVersionFilter.of(request);
        if (v.atLeast(2, 53)) {
            throw NovaApiException.versionNotFound();
        }
        Auth.require(request, ApiPolicy.HYPERVISORS_SEARCH);
        return Map.of("hypervisors", search(hostname).stream().map(h -> view(h, false, null, v)).toList());
    }

    @GetMapping("/v2.1/os-hypervisors/{hostname}/servers")
    public Map<String, Object> serversRoute(@PathVariable String hostname, HttpServletRequest request) {
        Microversion v = ApiVersionFilter.of(request);
        if (v.atLeast(2, 53)) {
            throw NovaApiException.versionNotFound();
        }
        Auth.require(request, ApiPolicy.HYPERVISORS_SERVERS);
        return Map.of("hypervisors", search(hostname).stream().map(h -> view(h, false, serversOn(h), v)).toList());
    }

    @GetMapping("/v2.1/os-aggregates")
    public Map<String, Object> aggregates(HttpServletRequest request) {
        Auth.require(request, ApiPolicy.HYPERVISORS_LIST);
        return Map.of("aggregates", List.of());
    }

    private Map<String, Object> view(HostInventory h, boolean detail, List<Placement> servers, Microversion v) {
        return NovaViews.hypervisor(h, services.state(h), hosts.isUp(h), detail, servers, v);
    }

    /** Nova's search: hypervisor host names containing the pattern (SQL {@code LIKE %pattern%}); 404 when none. */
    private List<HostInventory> search(String pattern) {
        List<HostInventory> found = hosts.hosts().stream().filter(h -> h.getNode().contains(pattern)).toList();
        if (found.isEmpty()) {
            throw NovaApiException.notFound("No hypervisor matching '" + pattern + "' could be found.");
        }
        return found;
    }

    private List<Placement> serversOn(HostInventory h) {
        return hosts.placements().stream().filter(p -> p.host().equals(h.getHost()))
                .sorted(Comparator.comparing(p -> p.instance().getSpec().getName())).toList();
    }

    private HostInventory byId(String id, Microversion v) {
        if (v.atLeast(2, 53)) {
            if (!id.matches("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")) {
                throw NovaApiException.badRequest("Invalid uuid " + id);
            }
        } else if (!id.matches("-?\\d+")) {
            throw NovaApiException.notFound("Hypervisor with ID '" + id + "' could not be found.");
        }
        return hosts.hosts().stream()
                .filter(h -> String.valueOf(NovaViews.hypervisorId(h.getHost(), v)).equalsIgnoreCase(id))
                .findFirst()
                .orElseThrow(() -> NovaApiException.notFound("Hypervisor with ID '" + id + "' could not be found."));
    }
}
