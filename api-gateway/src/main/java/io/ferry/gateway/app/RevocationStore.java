package io.ferry.gateway.app;

import java.time.Instant;
import java.util.Map;

/**
 * Where {@link IdentityService} keeps the audit ids of revoked tokens (with when each token expires), so a revoked
 * token stays revoked across a restart of the gateway, as Keystone keeps its revocation events in its database.
 */
public interface RevocationStore {

    /** The revocations kept, expired ones included (the caller drops them). */
    Map<String, Instant> load();

    /** Replaces what is kept with {@code revocations}; throws when that cannot be made durable. */
    void save(Map<String, Instant> revocations);

    /** Nothing kept: a restart forgets every revocation (for a gateway whose tokens die with it anyway). */
    RevocationStore IN_MEMORY = new RevocationStore() {
        @Override
        public Map<String, Instant> load() {
            return Map.of();
        }

        @Override
        public void save(Map<String, Instant> revocations) {
        }
    };
}
