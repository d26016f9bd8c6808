package io.ferry.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.gateway.domain.Principal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventTicketsTest {

    private final IdentityServiceTest.MovableClock clock = new IdentityServiceTest.MovableClock();
    private final EventTickets tickets = new EventTickets(clock, Duration.ofSeconds(30), new SecureRandom());
    private final Principal admin = new Principal("u1", "admin", "default", "p1", "admin", null, List.of("admin"));

    @Test
    void aTicketNamesItsPrincipalOnce() {
        // given
        String ticket = tickets.issue(admin);

        // when / then
        assertThat(tickets.redeem(ticket)).contains(admin);
        assertThat(tickets.redeem(ticket)).isEmpty();
    }

    @Test
    void anExpiredTicketIsWorthNothing() {
        // given
        String ticket = tickets.issue(admin);

        // when
        clock.now = clock.now.plusSeconds(30);

        // then
        assertThat(tickets.redeem(ticket)).isEmpty();
    }

    @Test
    void ticketsAreUnguessableAndUrlSafe() {
        Set<String> issued = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String ticket = tickets.issue(admin);
            assertThat(ticket).hasSize(43).matches("[A-Za-z0-9_-]+");
            issued.add(ticket);
        }
        assertThat(issued).hasSize(1000);
        assertThat(tickets.redeem(null)).isEmpty();
        assertThat(tickets.redeem("forged")).isEmpty();
    }
}
