package io.ferry.gateway.app;

import io.ferry.gateway.domain.Principal;
import java.util.Optional;

/** The port the compute API authenticates through: the embedded identity service or an external Keystone. */
public interface TokenValidator {

    /** The principal a valid, unexpired, unrevoked token stands for; empty otherwise. */
    Optional<Principal> validate(String token);
}
