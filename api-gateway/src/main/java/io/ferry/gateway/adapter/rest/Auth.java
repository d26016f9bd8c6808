package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.domain.ApiPolicy;
import io.ferry.gateway.domain.Principal;
import jakarta.servlet.http.HttpServletRequest;

/** The principal of a compute API request, and Nova's policy checks (403 {@code forbidden} when refused). */
final class Auth {

    static final String ATTRIBUTE = "ferry.principal";

    private Auth() {
    }

    static Principal principal(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof Principal p) {
            return p;
        }
        throw new IllegalStateException("no principal: the request did not pass the AuthFilter");
    }

    static Principal require(HttpServletRequest request, ApiPolicy policy) {
        Principal principal = principal(request);
        if (!policy.allows(principal)) {
            throw NovaApiException.forbidden(policy.refusal());
        }
        return principal;
    }
}
