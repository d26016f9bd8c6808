package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.config.IdentityConfiguration.IdentityConnector;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartException;

/**
 * Tomcat's error page ({@code /error}): what no controller answered (an unknown path, a method a path does not
 * have, an exception thrown before a handler was chosen, such as a multipart body without a boundary) still gets
 * Nova's fault body, or Keystone's error body on the identity API, never Spring's default one.
 */
@RestController
public class GatewayErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorController.class);

    private final IdentityConnector identityConnector;

    public GatewayErrorController(IdentityConnector identityConnector) {
        this.identityConnector = identityConnector;
    }

    @RequestMapping("/error")
    public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Throwable exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t ? t : null;
        int status = code instanceof Integer i && i >= 400 ? i : 500;
        if (status >= 500 && exception != null) {
            status = clientFault(exception);
        }
        if (status >= 500) {
            log.error("unexpected error answering {} {}", request.getMethod(), uri, exception);
        }
        boolean identity = (uri instanceof String path && (path.equals("/identity") || path.startsWith("/identity/")))
                || (identityConnector.port() > 0 && request.getLocalPort() == identityConnector.port());
        return identity ? keystoneError(status) : NovaFaults.fault(status, message(status));
    }

    /** The client's fault hidden in an exception that escaped the handlers; 500 when it is ours. */
    static int clientFault(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof MultipartException) {
                return 415;
            }
            if (cause instanceof org.apache.tomcat.util.http.InvalidParameterException) {
                return 400;
            }
        }
        return 500;
    }

    static String message(int status) {
        return switch (status) {
            case 400 -> "Bad request.";
            case 404 -> "The resource could not be found.";
            case 405 -> "The method specified is not allowed for this resource.";
            case 415 -> "The request media type is not supported.";
            case 500 -> "Unexpected API Error. Please report this at Ferry's issue tracker and attach the request id.";
            default -> HttpStatus.resolve(status) != null ? HttpStatus.resolve(status).getReasonPhrase() : "Error.";
        };
    }

    static ResponseEntity<Map<String, Object>> keystoneError(int status) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", status);
        error.put("message", message(status));
        HttpStatus known = HttpStatus.resolve(status);
        error.put("title", known != null ? known.getReasonPhrase() : "Error");
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", error));
    }
}
