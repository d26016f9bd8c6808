package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.domain.Microversion;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Negotiates the compute microversion from {@code OpenStack-API-Version: compute X.Y} or
 * {@code X-OpenStack-Nova-API-Version}, answers 406 outside the supported range as Nova does, echoes the version
 * and sets {@code x-openstack-request-id}.
 */
public class ApiVersionFilter extends OncePerRequestFilter {

    public static final String ATTRIBUTE = "ferry.microversion";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getAttribute(AuthFilter.REQUEST_ID) == null) {
            String requestId = "req-" + UUID.randomUUID();
            response.setHeader("x-openstack-request-id", requestId);
            request.setAttribute(AuthFilter.REQUEST_ID, requestId);
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals("/identity") || path.startsWith("/identity/")) {
            chain.doFilter(request, response);
            return;
        }
        Microversion version = Microversion.MIN;
        String header = request.getHeader("OpenStack-API-Version");
        String legacy = request.getHeader("X-OpenStack-Nova-API-Version");
        try {
            if (header != null) {
                for (String part : header.split(",")) {
                    String[] words = part.trim().split("\\s+");
                    if (words.length == 2 && words[0].equalsIgnoreCase("compute")) {
                        version = Microversion.parse(words[1]);
                    }
                }
            } else if (legacy != null) {
                version = Microversion.parse(legacy);
            }
        } catch (IllegalArgumentException e) {
            write(response, 400, e.getMessage());
            return;
        }
        if (!version.isSupported()) {
            write(response, 406, "Version " + version + " is not supported by the API. Minimum is "
                    + Microversion.MIN + " and maximum is " + Microversion.MAX + ".");
            return;
        }
        request.setAttribute(ATTRIBUTE, version);
        response.setHeader("OpenStack-API-Version", "compute " + version);
        response.setHeader("X-OpenStack-Nova-API-Version", version.toString());
        response.setHeader("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version");
        chain.doFilter(request, response);
    }

    private static void write(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        String fault = NovaApiException.faultName(status);
        response.getWriter().write("{\"" + fault + "\": {\"code\": " + status + ", \"message\": \""
                + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}");
    }

    public static Microversion of(HttpServletRequest request) {
        Object value = request.getAttribute(ATTRIBUTE);
        return value instanceof Microversion v ? v : Microversion.MIN;
    }
}
