package io.ferry.gateway.app;

import io.ferry.gateway.app.IdentityDirectory.Project;
import io.ferry.gateway.app.IdentityDirectory.User;
import io.ferry.gateway.domain.Principal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The embedded Keystone v3 subset: password (and token) authentication scoped to a project or the domain, tokens
 * with an expiry, validation and revocation. Tokens are Fernet tokens, as Keystone's: the token itself carries the
 * user, the scope, the methods, the issue and expiry times and the audit id, encrypted and signed with
 * {@link FernetTokens}' keys, so nothing is stored and a token outlives a restart of the gateway that issued it (with
 * the same keys). The roles are the user's as configured when the token is validated, as Keystone reads them from
 * its assignments. A revocation is kept (in the {@link RevocationStore}) until the revoked token would have expired,
 * so a revoked token stays revoked across a restart, as Keystone keeps its revocation events in its database.
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
    private static final byte PAYLOAD_VERSION = 1;
    private static final byte PROJECT = 'P';
    private static final byte DOMAIN = 'D';
    private static final byte UNSCOPED = 'U';

    private final SecureRandom random;
    private final FernetTokens fernet;
    /** Audit ids of revoked tokens, with when each token expires (then it is refused anyway). */
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final RevocationStore revocations;

    public IdentityService(IdentityDirectory directory, Clock clock, Duration ttl, FernetTokens fernet,
                           SecureRandom random, RevocationStore revocations) {
        this.directory = directory;
        this.clock = clock;
        this.ttl = ttl;
        this.fernet = fernet;
        this.random = random;
        this.revocations = revocations;
        Instant now = clock.instant();
        revocations.load().forEach((auditId, expiresAt) -> {
            if (now.isBefore(expiresAt)) {
                revoked.put(auditId, expiresAt);
            }
        });
    }

    /** Revocations kept in memory only. */
    public IdentityService(IdentityDirectory directory, Clock clock, Duration ttl, FernetTokens fernet,
                           SecureRandom random) {
        this(directory, clock, ttl, fernet, random, RevocationStore.IN_MEMORY);
    }

    /** With a random key of its own: its tokens die with it. */
    public IdentityService(IdentityDirectory directory, Clock clock, Duration ttl, SecureRandom random) {
        this(directory, clock, ttl, new FernetTokens(List.of(FernetTokens.newKey(random)), random), random);
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
        byte kind;
        String scopeId;
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
                kind = PROJECT;
                scopeId = project.get().id();
            }
            case Scope.DomainScope d -> {
                if (!IdentityDirectory.isDefaultDomain(d.idOrName())) {
                    return new Outcome.Unauthorized("User " + user.id() + " has no access to domain " + d.idOrName());
                }
                kind = DOMAIN;
                scopeId = IdentityDirectory.DEFAULT_DOMAIN_ID;
            }
            case Scope.Unscoped u -> {
                boolean hasProject = Optional.ofNullable(user.projectId()).flatMap(directory::projectById).isPresent();
                kind = hasProject ? PROJECT : UNSCOPED;
                scopeId = hasProject ? user.projectId() : "";
            }
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        String auditId = randomId(16);
        String id = fernet.seal(payload(user.id(), kind, scopeId, methods, now, expiresAt, auditId), now);
        Principal principal = principal(user, kind, scopeId).orElseThrow();
        purgeRevocations(now);
        return new Outcome.Issued(new Token(id, principal, now, expiresAt, methods, auditId));
    }

    /** Who a token of {@code kind} and {@code scopeId} acts for, by the directory now; empty if that no longer holds. */
    private Optional<Principal> principal(User user, byte kind, String scopeId) {
        return switch (kind) {
            case PROJECT -> directory.projectById(scopeId).filter(p -> p.id().equals(user.projectId()))
                    .map(p -> new Principal(user.id(), user.name(), IdentityDirectory.DEFAULT_DOMAIN_ID, p.id(),
                            p.name(), null, user.roles()));
            case DOMAIN -> Optional.of(new Principal(user.id(), user.name(), IdentityDirectory.DEFAULT_DOMAIN_ID,
                    null, null, IdentityDirectory.DEFAULT_DOMAIN_ID, user.roles()));
            case UNSCOPED -> Optional.of(new Principal(user.id(), user.name(), IdentityDirectory.DEFAULT_DOMAIN_ID,
                    null, null, null, List.of()));
            default -> Optional.empty();
        };
    }

    private static byte[] payload(String userId, byte kind, String scopeId, List<String> methods, Instant issuedAt,
                                  Instant expiresAt, String auditId) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(PAYLOAD_VERSION);
            out.writeUTF(userId);
            out.writeByte(kind);
            out.writeUTF(scopeId);
            out.writeUTF(String.join(",", methods));
            out.writeLong(issuedAt.toEpochMilli());
            out.writeLong(expiresAt.toEpochMilli());
            out.writeUTF(auditId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The token a payload describes, if it is well formed and its user and scope still exist. */
    private Optional<Token> token(String id, byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readByte() != PAYLOAD_VERSION) {
                return Optional.empty();
            }
            String userId = in.readUTF();
            byte kind = in.readByte();
            String scopeId = in.readUTF();
            List<String> methods = List.of(in.readUTF().split(","));
            Instant issuedAt = Instant.ofEpochMilli(in.readLong());
            Instant expiresAt = Instant.ofEpochMilli(in.readLong());
            String auditId = in.readUTF();
            return directory.userById(userId).flatMap(user -> principal(user, kind, scopeId))
                    .map(principal -> new Token(id, principal, issuedAt, expiresAt, methods, auditId));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A live token. */
    public Optional<Token> find(String tokenId) {
        if (tokenId == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return fernet.open(tokenId).flatMap(payload -> token(tokenId, payload))
                .filter(t -> now.isBefore(t.expiresAt()) && !revoked.containsKey(t.auditId()));
    }

    @Override
    public Optional<Principal> validate(String token) {
        return find(token).map(Token::principal);
    }

    /** Revokes a token, durably before it answers; false when it was not live. */
    public synchronized boolean revoke(String tokenId) {
        Optional<Token> token = find(tokenId);
        if (token.isEmpty()) {
            return false;
        }
        purgeRevocations(clock.instant());
        revoked.put(token.get().auditId(), token.get().expiresAt());
        revocations.save(Map.copyOf(revoked));
        return true;
    }

    private void purgeRevocations(Instant now) {
        revoked.values().removeIf(expiresAt -> !now.isBefore(expiresAt));
    }

    private String randomId(int bytes) {
        byte[] buffer = new byte[bytes];
        random.nextBytes(buffer);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
    }
}
