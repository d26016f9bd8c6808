package io.ferry.scheduler.domain.claim;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.host.HostClaims;

/** Read access to open claims per host, as the selection engine needs it. */
public interface ClaimView {

    /** No claims at all. */
    ClaimView NONE = host -> HostClaims.NONE;

    /** The sum of open claims on {@code host}; {@link HostClaims#NONE} when there are none. */
    HostClaims claimsOn(HostName host);
}
