package io.ferry.gateway.app;

import io.ferry.gateway.domain.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-use, short-lived tickets for the console's event stream: a browser's {@code EventSource} cannot send
 * {@code X-Auth-Token}, so the page trades its token for a ticket (with the token, over a normal request) and opens
 * the stream with the ticket in the URL. A ticket is random (256 bits), works once, and expires after a few
 * seconds, so one seen in a log or a history is worth nothing; the token itself never appears in a URL.
 */
public class EventTickets {

    private record Ticket(Principal principal, long expiresAt) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final SecureRandom random;
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();

    public EventTickets(Clock clock, Duration ttl, SecureRandom random) {
        this.clock = clock;
        this.ttl = ttl;
        this.random = random;
    }

    /** A new ticket for {@code principal}. */
    public String issue(Principal principal) {
        long now = clock.millis();
        tickets.values().removeIf(t -> t.expiresAt() <= now);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tickets.put(ticket, new Ticket(principal, now + ttl.toMillis()));
        return ticket;
    }

    /** The principal a ticket was issued to, once: the ticket is spent (or was expired, or never existed). */
    public Optional<Principal> redeem(String ticket) {
        if (ticket == null) {
            return Optional.empty();
        }
        Ticket t = tickets.remove(ticket);
        return t == null || t.expiresAt() <= clock.millis() ? Optional.empty() : Optional.of(t.principal());
    }

    public Duration ttl() {
        return ttl;
    }
}
