package io.ferry.scheduler.domain.claim;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.host.HostClaims;
import io.ferry.scheduler.domain.host.HostState;

/** Read access to the claims that count per host, as the selection engine needs it. */
public interface ClaimView {

    /** No claims at all. */
    ClaimView NONE = host -> HostClaims.NONE;

    /** The sum of the claims counting on {@code host}; {@link HostClaims#NONE} when there are none. */
    HostClaims claimsOn(HostName host);

    /**
     * The claims on {@code host} that its reported usage does not already count: claims for instances the host
     * reports ({@link HostState#reportedInstances()}) are left out. This is what decisions add to a host.
     */
    default HostClaims claimsOn(HostState host) {
        return claimsOn(host.name());
    }
}
