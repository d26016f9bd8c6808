package io.ferry.gateway.app;

import io.ferry.gateway.app.IdentityDirectory.Project;
import io.ferry.gateway.app.IdentityDirectory.User;
import io.ferry.gateway.domain.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded Keystone v3 subset: password (and token) authentication scoped to a project or the domain, opaque
 * random tokens with an expiry, validation and revocation. Tokens live in memory: a restart signs everyone out.
 */
public class IdentityService implements TokenValidator {

    /** An issued token. The id is the secret; it never appears in logs or {@link #toString()}. */
    public record Token(String id, Principal principal, Instant issuedAt, Instant expiresAt, List<String> methods,
                        String auditId) {
        @Override
        public String toString() {
            return "Token[" + principal.userName() + ", expires " + expiresAt + "]";
        }
    }

    /** What a client asks a token for. */
    public sealed interface Scope {
        record Unscoped() implements Scope {
        }

        record ProjectScope(String id, String name, String domain) implements Scope {
        }

        record DomainScope(String idOrName) implements Scope {
        }
    }

    /** The outcome of an authentication. */
    public sealed interface Outcome {
        record Issued(Token token) implements Outcome {
        }

        record Unauthorized(String message) implements Outcome {
        }
    }

    static final String AUTH_FAILED = "The request you have made requires authentication.";

    private final IdentityDirectory directory;
    private final Clock clock;
    private final Duration ttl;
    private final SecureRandom random;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    public IdentityService(IdentityDirectory directory, Clock clock, Duration ttl, SecureRandom random) {
        this.directory = directory;
        this.clock = clock;
        this.ttl = ttl;
        this.random = random;
    }

    public IdentityDirectory directory() {
        return directory;
    }

    /** Password authentication by user name (in the default domain) or user id. */
    public Outcome password(String userId, String userName, String userDomain, String password, Scope scope) {
        Optional<User> user = userId != null ? directory.userById(userId)
                : IdentityDirectory.isDefaultDomain(userDomain) ? directory.userByName(userName) : Optional.empty();
        if (user.isEmpty() || !PasswordHash.matches(password, user.get().passwordHash())) {
            return new Outcome.Unauthorized(AUTH_FAILED);
        }
        return issue(user.get(), scope, List.of("password"));
    }

    /** Re-scoping with an existing token (keystoneauth's token method). */
    public Outcome token(String existing, Scope scope) {
        Optional<Token> token = find(existing);
        if (token.isEmpty()) {
            return new Outcome.Unauthorized(AUTH_FAILED);
        }
        Optional<User> user = directory.userById(token.get().principal().userId());
        return user.isEmpty() ? new Outcome.Unauthorized(AUTH_FAILED) : issue(user.get(), scope, List.of("token"));
    }

    private Outcome issue(User user, Scope scope, List<String> methods) {
        Principal principal;
        switch (scope) {
            case Scope.ProjectScope p -> {
                if (!IdentityDirectory.isDefaultDomain(p.domain())) {
                    return new Outcome.Unauthorized(AUTH_FAILED);
                }
                Optional<Project> project = p.id() != null ? directory.projectById(p.id())
                        : directory.projectByName(p.name());
                if (project.isEmpty() || !project.get().id().equals(user.projectId())) {
                    return new Outcome.Unauthorized("User " + user.id() + " has no access to project "
                            + (p.id() != null ? p.id() : p.name()));
                }
                principal = new Principal(user.id(), user.name(), IdentityDirectory.DEFAULT_DOMAIN_ID,
                        project.get().id(), project.get().name(), null, user.roles());
            }
            case Scope.DomainScope d -> {
                if (!IdentityDirectory.isDefaultDomain(d.idOrName())) {
                    return new Outcome.Unauthorized("User " + user.id() + " has no access to domain " + d.idOrName());
                }
                principal = new Principal(user.id(), user.name(), IdentityDirectory.DEFAULT_DOMAIN_ID, null, null,
                        IdentityDirectory.DEFAULT_DOMAIN_ID, user.roles());
            }
            case Scope.Unscoped u -> {
                Optional<Project> project = Optional.ofNullable(user.projectId()).flatMap(directory::projectById);
                principal = project.map(p -> new Principal(user.id(), user.name(), IdentityDirectory.DEFAULT_DOMAIN_ID,
                                p.id(), p.name(), null, user.roles()))
                        .orElse(new Principal(user.id(), user.name(), IdentityDirectory.DEFAULT_DOMAIN_ID, null, null,
                                null, List.of()));
            }
        }
        Instant now = clock.instant();
        Token token = new Token(randomId(32), principal, now, now.plus(ttl), methods, randomId(16));
        tokens.put(token.id(), token);
        purgeExpired(now);
        return new Outcome.Issued(token);
    }

    /** A live token. */
    public Optional<Token> find(String tokenId) {
        if (tokenId == null) {
            return Optional.empty();
        }
        Token token = tokens.get(tokenId);
        if (token == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(token.expiresAt())) {
            tokens.remove(tokenId);
            return Optional.empty();
        }
        return Optional.of(token);
    }

    @Override
    public Optional<Principal> validate(String token) {
        return find(token).map(Token::principal);
    }

    /** Revokes a token; false when it was not live. */
    public boolean revoke(String tokenId) {
        return find(tokenId).map(t -> tokens.remove(t.id()) != null).orElse(false);
    }

    private void purgeExpired(Instant now) {
        tokens.values().removeIf(t -> !now.isBefore(t.expiresAt()));
    }

    private String randomId(int bytes) {
        byte[] buffer = new byte[bytes];
        random.nextBytes(buffer);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
    }
}
