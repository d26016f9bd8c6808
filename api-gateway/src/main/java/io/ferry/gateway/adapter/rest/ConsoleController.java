package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.EventTickets;
import io.ferry.gateway.domain.ApiPolicy;
import io.ferry.gateway.domain.Principal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * What the web console reads (admin only): the fleet in one document, and a server-sent event stream of it. The
 * stream is opened with a one-use ticket (see {@link EventTickets}) because {@code EventSource} cannot send
 * {@code X-Auth-Token}; the ticket is bought with the token at {@code POST /ferry/v1/events/tickets}.
 */
@RestController
public class ConsoleController {

    private final FleetViews fleet;
    private final FleetEvents events;
    private final EventTickets tickets;
    private final Clock clock;

    public ConsoleController(FleetViews fleet, FleetEvents events, EventTickets tickets, Clock gatewayClock) {
        this.fleet = fleet;
        this.events = events;
        this.tickets = tickets;
        this.clock = gatewayClock;
    }

    @GetMapping("/ferry/v1/fleet")
    public Map<String, Object> fleet(HttpServletRequest request) {
        Auth.require(request, ApiPolicy.FLEET_SHOW);
        return fleet.snapshot(clock.millis());
    }

    @PostMapping("/ferry/v1/events/tickets")
    public ResponseEntity<Map<String, Object>> ticket(HttpServletRequest request) {
        Principal principal = Auth.require(request, ApiPolicy.FLEET_SHOW);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ticket", tickets.issue(principal));
        body.put("expires_in", tickets.ttl().toSeconds());
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("ticket", body));
    }

    /** The stream; {@code AuthFilter} lets it through without a token, the ticket is checked here. */
    @GetMapping("/ferry/v1/events")
    public SseEmitter events(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Principal> principal = tickets.redeem(request.getParameter("ticket"));
        if (principal.isEmpty()) {
            refuse(response, 401, "The event stream needs a valid ticket (POST /ferry/v1/events/tickets); "
                    + "a ticket works once.");
            return null;
        }
        if (!ApiPolicy.FLEET_SHOW.allows(principal.get())) {
            refuse(response, 403, ApiPolicy.FLEET_SHOW.refusal());
            return null;
        }
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        return events.open();
    }

    /** Written here, not through the fault handler: the client asked for {@code text/event-stream}, not JSON. */
    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write("{\"" + NovaApiException.faultName(status) + "\": {\"code\": " + status
                + ", \"message\": \"" + message + "\"}}");
    }
}
