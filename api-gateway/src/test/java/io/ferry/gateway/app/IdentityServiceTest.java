package io.ferry.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.gateway.app.IdentityService.Outcome;
import io.ferry.gateway.app.IdentityService.Scope;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityServiceTest {

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final SecureRandom random = new SecureRandom();
    private final List<String> keys = List.of(FernetTokens.newKey(random));
    private final IdentityDirectory directory = new IdentityDirectory(
            List.of(new IdentityDirectory.User("u1", "alice", PasswordHash.hash("s3cret-pass", random),
                    "p1", List.of("member"))),
            List.of(new IdentityDirectory.Project("p1", "alpha")));
    /** What the gateway keeps of its revocations across restarts (a file in production). */
    private final Map<String, Instant> kept = new HashMap<>();
    private final RevocationStore store = new RevocationStore() {
        @Override
        public Map<String, Instant> load() {
            return Map.copyOf(kept);
        }

        @Override
        public void save(Map<String, Instant> revocations) {
            kept.clear();
            kept.putAll(revocations);
        }
    };
    private final IdentityService identity = started(directory);

    /** A gateway started with the same Fernet keys and revocations, as after a restart. */
    private IdentityService started(IdentityDirectory users) {
        return new IdentityService(users, clock, Duration.ofMinutes(30), new FernetTokens(keys, random), random,
                store);
    }

    private String issue() {
        Outcome outcome = identity.password(null, "alice", "default", "s3cret-pass",
                new Scope.ProjectScope(null, "alpha", null));
        assertThat(outcome).isInstanceOf(Outcome.Issued.class);
        return ((Outcome.Issued) outcome).token().id();
    }

    @Test
    void validatesATokenUntilItExpires() {
        // given
        String token = issue();

        // when / then
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertThat(identity.validate(token)).hasValueSatisfying(p -> {
            assertThat(p.userName()).isEqualTo("alice");
            assertThat(p.projectId()).isEqualTo("p1");
            assertThat(p.isAdmin()).isFalse();
        });
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(identity.validate(token)).isEmpty();
    }

    @Test
    void forgetsARevokedToken() {
        String token = issue();

        assertThat(identity.revoke(token)).isTrue();

        assertThat(identity.validate(token)).isEmpty();
        assertThat(identity.revoke(token)).isFalse();
    }

    @Test
    void refusesAWrongPasswordAnUnknownUserAndAForeignProject() {
        assertThat(identity.password(null, "alice", null, "guess", new Scope.Unscoped()))
                .isInstanceOf(Outcome.Unauthorized.class);
        assertThat(identity.password(null, "bob", null, "s3cret-pass", new Scope.Unscoped()))
                .isInstanceOf(Outcome.Unauthorized.class);
        assertThat(identity.password(null, "alice", null, "s3cret-pass", new Scope.ProjectScope("p2", null, null)))
                .isInstanceOf(Outcome.Unauthorized.class);
    }

    @Test
    void scopesAnUnscopedRequestToTheUsersProjectAndRescopesWithAToken() {
        Outcome unscoped = identity.password("u1", null, null, "s3cret-pass", new Scope.Unscoped());
        String token = ((Outcome.Issued) unscoped).token().id();

        Outcome rescoped = identity.token(token, new Scope.DomainScope("Default"));

        assertThat(((Outcome.Issued) unscoped).token().principal().projectId()).isEqualTo("p1");
        assertThat(((Outcome.Issued) rescoped).token().principal().domainScope()).isEqualTo("default");
        assertThat(((Outcome.Issued) rescoped).token().toString()).doesNotContain(token);
    }

    @Test
    void aTokenIssuedBeforeARestartStillWorksAfterIt() {
        // given
        String token = issue();

        // when the gateway restarts with the same keys
        IdentityService restarted = started(directory);

        // then
        assertThat(restarted.validate(token)).hasValueSatisfying(p -> {
            assertThat(p.userId()).isEqualTo("u1");
            assertThat(p.projectName()).isEqualTo("alpha");
            assertThat(p.roles()).containsExactly("member");
        });
        assertThat(restarted.find(token)).hasValueSatisfying(t -> {
            assertThat(t.methods()).containsExactly("password");
            assertThat(t.expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:30:00Z"));
        });
    }

    @Test
    void aRestartedGatewayRefusesAnExpiredOrTamperedToken() {
        // given
        String token = issue();
        IdentityService restarted = started(directory);
        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);

        // then
        assertThat(restarted.validate(tampered)).isEmpty();
        clock.now = clock.now.plus(Duration.ofMinutes(30));
        assertThat(restarted.validate(token)).isEmpty();
    }

    @Test
    void aRevokedTokenStaysRevokedAfterARestartAndItsRevocationIsDroppedOnceItExpired() {
        // given a token revoked, and another one still live
        String revokedToken = issue();
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        String liveToken = issue();
        assertThat(identity.revoke(revokedToken)).isTrue();
        assertThat(identity.revoke(revokedToken)).as("revoked already").isFalse();
        assertThat(kept).hasSize(1);

        // when the gateway restarts
        IdentityService restarted = started(directory);

        // then the revoked token is still refused and the other one still works
        assertThat(restarted.validate(revokedToken)).isEmpty();
        assertThat(restarted.validate(liveToken)).isPresent();

        // and once the revoked token expired, its revocation is no longer kept
        clock.now = clock.now.plus(Duration.ofMinutes(25));
        assertThat(restarted.revoke(liveToken)).isTrue();
        assertThat(kept).hasSize(1).doesNotContainValue(Instant.parse("2026-01-01T00:30:00Z"));
        assertThat(started(directory).validate(liveToken)).isEmpty();
    }

    @Test
    void aGatewayWithOtherKeysRefusesTheToken() {
        String token = issue();

        IdentityService other = new IdentityService(directory, clock, Duration.ofMinutes(30), random);

        assertThat(other.validate(token)).isEmpty();
    }

    @Test
    void aTokenOfAUserNoLongerConfiguredIsRefused() {
        // given
        String token = issue();

        // when the gateway restarts without alice
        IdentityService restarted = started(new IdentityDirectory(List.of(),
                List.of(new IdentityDirectory.Project("p1", "alpha"))));

        // then
        assertThat(restarted.validate(token)).isEmpty();
    }

    @Test
    void theRolesAreTheUsersAsConfiguredWhenTheTokenIsValidated() {
        // given
        String token = issue();

        // when alice is made a reader only
        IdentityService restarted = started(new IdentityDirectory(
                List.of(new IdentityDirectory.User("u1", "alice", PasswordHash.hash("s3cret-pass", random), "p1",
                        List.of("reader"))),
                List.of(new IdentityDirectory.Project("p1", "alpha"))));

        // then
        assertThat(restarted.validate(token)).hasValueSatisfying(p -> assertThat(p.roles()).containsExactly("reader"));
    }
}
