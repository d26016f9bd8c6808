package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.ServiceCommands;
import io.ferry.gateway.app.ServiceCommands.ServiceState;
import io.ferry.gateway.domain.ApiPolicy;
import io.ferry.gateway.domain.Microversion;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.host.HostInventory;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /os-services}: one {@code nova-compute} service per host. Updates go to the host's agent as
 * {@code SetServiceStatus}; before 2.53 by action name and host/binary in the body, from 2.53 by the service's uuid.
 */
@RestController
public class ServicesController {

    private static final String COMPUTE = "nova-compute";

    private final HostDirectory hosts;
    private final ServiceCommands services;

    public ServicesController(HostDirectory hosts, ServiceCommands services) {
        this.hosts = hosts;
        this.services = services;
    }

    @GetMapping("/v2.1/os-services")
    public Map<String, Object> list(HttpServletRequest request) {
        Microversion v = ApiVersionFilter.of(request);
        Auth.require(request, ApiPolicy.SERVICES_LIST);
        if (v.atLeast(2, 75)) {
            Params.onlyAllowed(request, Set.of("host", "binary"));
        }
        String host = request.getParameter("host");
        String binary = request.getParameter("binary");
        return Map.of("services", hosts.hosts().stream()
                .filter(h -> host == null || host.isEmpty() || host.equals(h.getHost()))
                .filter(h -> binary == null || binary.isEmpty() || binary.equals(COMPUTE))
                .map(h -> NovaViews.service(h, services.state(h), hosts.isUp(h), v)).toList());
    }

    @PutMapping("/v2.1/os-services/{id}")
    public Map<String, Object> update(@PathVariable String id, @RequestBody Map<String, Object> body,
                                      HttpServletRequest request) {
        Microversion v = ApiVersionFilter.of(request);
        return v.atLeast(2, 53) ? updateById(id, body, request, v) : updateByAction(id, body, request, v);
    }

    private Map<String, Object> updateById(String id, Map<String, Object> body, HttpServletRequest request,
                                           Microversion v) {
        Params.noOtherKeys("body", body, List.of("status", "disabled_reason", "forced_down"));
        Object status = body.get("status");
        if (body.containsKey("status") && !"enabled".equals(status) && !"disabled".equals(status)) {
            throw Params.invalidField("status", status, "is not one of ['enabled', 'disabled']");
        }
        String reason = reason(body);
        Boolean forcedDown = body.containsKey("forced_down") ? Params.bodyBoolean("forced_down", body.get("forced_down"))
                : null;
        if (body.containsKey("forced_down") && forcedDown == null) {
            throw Params.invalidField("forced_down", null, "is not one of [True, False]");
        }
        if (!id.matches("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")) {
            throw NovaApiException.badRequest("Invalid uuid " + id);
        }
        Auth.require(request, ApiPolicy.SERVICES_UPDATE);
        HostInventory host = hosts.hosts().stream()
                .filter(h -> String.valueOf(NovaViews.serviceId(h.getHost(), v)).equalsIgnoreCase(id))
                .findFirst().orElseThrow(() -> NovaApiException.notFound("Service " + id + " could not be found."));
        Boolean enabled = null;
        if ("enabled".equals(status)) {
            if (reason != null) {
                throw NovaApiException.badRequest("Specifying 'disabled_reason' with status 'enabled' is invalid.");
            }
            enabled = true;
        } else if ("disabled".equals(status)) {
            enabled = false;
        }
        if (enabled == null && forcedDown == null) {
            throw NovaApiException.badRequest("No updates were requested. Fields 'status' or 'forced_down' should "
                    + "be specified.");
        }
        services.update(host, enabled, reason, forcedDown);
        return Map.of("service", NovaViews.service(host, services.state(host), hosts.isUp(host), v));
    }

    private Map<String, Object> updateByAction(String action, Map<String, Object> body, HttpServletRequest request,
                                               Microversion v) {
        List<String> allowed = new ArrayList<>(List.of("host", "binary", "disabled_reason"));
        if (v.atLeast(2, 11)) {
            allowed.add("forced_down");
        }
        Params.noOtherKeys("body", body, allowed);
        Params.required("body", body, "host", "binary");
        if (!(body.get("host") instanceof String host) || host.isEmpty() || host.length() > 255) {
            throw Params.invalidField("host", body.get("host"), "is not a 'hostname'");
        }
        if (!(body.get("binary") instanceof String binary) || binary.isEmpty() || binary.length() > 255) {
            throw Params.invalidField("binary", body.get("binary"), "is not of type 'string'");
        }
        String reason = reason(body);
        Boolean forcedDown = body.containsKey("forced_down") ? Params.bodyBoolean("forced_down", body.get("forced_down"))
                : null;
        Auth.require(request, ApiPolicy.SERVICES_UPDATE);
        boolean forceDownAction = v.atLeast(2, 11) && action.equals("force-down");
        if (!Set.of("enable", "disable", "disable-log-reason").contains(action) && !forceDownAction) {
            throw NovaApiException.notFound("Unknown action");
        }
        if (action.equals("disable-log-reason") && reason == null) {
            throw NovaApiException.badRequest("Missing disabled reason field");
        }
        if (forceDownAction && forcedDown == null) {
            throw NovaApiException.badRequest("Missing forced_down field");
        }
        if (!binary.equals(COMPUTE)) {
            throw NovaApiException.badRequest("Updating a " + binary + " service is not supported. Only "
                    + "nova-compute services can be updated.");
        }
        HostInventory inventory = hosts.host(host).orElseThrow(() -> NovaApiException.notFound(
                "Compute host " + host + " with binary " + binary + " could not be found."));
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("host", host);
        service.put("binary", binary);
        switch (action) {
            case "enable" -> {
                services.update(inventory, true, null, null);
                service.put("status", "enabled");
            }
            case "disable", "disable-log-reason" -> {
                String kept = action.equals("disable-log-reason") ? reason : null;
                services.update(inventory, false, kept, null);
                service.put("status", "disabled");
                if (kept != null) {
                    service.put("disabled_reason", kept);
                }
            }
            default -> {
                ServiceState state = services.update(inventory, null, null, forcedDown);
                service.put("forced_down", state.forcedDown());
            }
        }
        return Map.of("service", service);
    }

    private static String reason(Map<String, Object> body) {
        Object reason = body.get("disabled_reason");
        if (body.containsKey("disabled_reason")
                && !(reason instanceof String r && !r.isEmpty() && r.length() <= 255)) {
            throw Params.invalidField("disabled_reason", reason, "is not a valid string of 1 to 255 characters");
        }
        return (String) reason;
    }
}
