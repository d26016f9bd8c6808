package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.domain.Microversion;
import io.ferry.messaging.readmodel.HostDirectory;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /os-hypervisors}, {@code /os-services} and the version documents. */
@RestController
public class HypervisorsController {

    private final HostDirectory hosts;

    public HypervisorsController(HostDirectory hosts) {
        this.hosts = hosts;
    }

    @GetMapping("/v2.1/os-hypervisors")
    public Map<String, Object> list(HttpServletRequest request) {
        Microversion v = ApiVersionFilter.of(request);
        return Map.of("hypervisors", hosts.hosts().stream()
                .map(h -> NovaViews.hypervisor(h, hosts.isUp(h), false, v)).toList());
    }

    @GetMapping("/v2.1/os-hypervisors/detail")
    public Map<String, Object> detail(HttpServletRequest request) {
        Microversion v = ApiVersionFilter.of(request);
        return Map.of("hypervisors", hosts.hosts().stream()
                .map(h -> NovaViews.hypervisor(h, hosts.isUp(h), true, v)).toList());
    }

    @GetMapping("/v2.1/os-services")
    public Map<String, Object> services(HttpServletRequest request) {
        Microversion v = ApiVersionFilter.of(request);
        return Map.of("services", hosts.hosts().stream().map(h -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", v.atLeast(2, 53) ? NovaViews.uuidOf("nova-compute@" + h.getHost()) : Math.abs(h.getHost().hashCode() % 100000));
            s.put("binary", "nova-compute");
            s.put("host", h.getHost());
            s.put("zone", h.getAvailabilityZone() == null ? "nova" : h.getAvailabilityZone());
            s.put("status", h.getServiceStatus().name().equals("ENABLED") ? "enabled" : "disabled");
            s.put("state", hosts.isUp(h) ? "up" : "down");
            s.put("updated_at", NovaViews.migrationTime(h.getHeartbeatAt()));
            s.put("disabled_reason", h.getDisabledReason());
            if (v.atLeast(2, 11)) {
                s.put("forced_down", h.getForcedDown());
            }
            return s;
        }).toList());
    }

    @GetMapping({"/", "/v2.1", "/v2.1/"})
    public Map<String, Object> versions(HttpServletRequest request) {
        String base = ServersController.baseUrl();
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("id", "v2.1");
        version.put("status", "CURRENT");
        version.put("version", Microversion.MAX.toString());
        version.put("min_version", Microversion.MIN.toString());
        version.put("updated", "2013-07-23T11:33:21Z");
        version.put("links", List.of(Map.of("rel", "self", "href", base + "/v2.1/")));
        version.put("media-types", List.of(Map.of("base", "application/json",
                "type", "application/vnd.openstack.compute+json;version=2.1")));
        String path = request.getRequestURI();
        return path.equals("/") ? Map.of("versions", List.of(version)) : Map.of("version", version);
    }
}
