package io.ferry.gateway.adapter.rest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The web console's security headers, on its page and every static asset of it ({@code /console},
 * {@code /console/*}): a Content-Security-Policy that allows only the gateway's own scripts, styles and connections
 * (no inline script or style, no eval: the page is plain ES modules and one style sheet; elements are styled through
 * the CSSOM, which the policy does not restrict), no framing, no sniffing, no referrer.
 */
public class ConsoleSecurityHeadersFilter extends OncePerRequestFilter {

    /** The console's policy. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'self'";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        chain.doFilter(request, response);
    }
}
