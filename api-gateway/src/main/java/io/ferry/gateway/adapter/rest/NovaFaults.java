package io.ferry.gateway.adapter.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every error the API returns has Nova's fault body; internal details never leak into it. */
@RestControllerAdvice(basePackageClasses = NovaFaults.class)
public class NovaFaults {

    private static final Logger log = LoggerFactory.getLogger(NovaFaults.class);

    public static ResponseEntity<Map<String, Object>> fault(int status, String message) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("code", status);
        detail.put("message", message);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of(NovaApiException.faultName(status), detail));
    }

    @ExceptionHandler(NovaApiException.class)
    public ResponseEntity<Map<String, Object>> nova(NovaApiException e) {
        return fault(e.status().value(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return fault(400, "Malformed request body");
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    public ResponseEntity<Map<String, Object>> badParameter(Exception e) {
        return fault(400, "Invalid input for query parameters");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<Map<String, Object>> noResource(NoResourceFoundException e) {
        return fault(404, "The resource could not be found.");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<Map<String, Object>> badMethod(HttpRequestMethodNotSupportedException e) {
        return fault(405, "The method specified is not allowed for this resource.");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e) {
        return fault(415, "The request media type is not supported.");
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Map<String, Object>> unexpected(Exception e) {
        if (e instanceof org.springframework.web.ErrorResponse error) {
            HttpStatusCode status = error.getStatusCode();
            if (status.is4xxClientError()) {
                return fault(status.value(), HttpStatus.valueOf(status.value()).getReasonPhrase());
            }
        }
        int clientFault = GatewayErrorController.clientFault(e);
        if (clientFault < 500) {
            return fault(clientFault, GatewayErrorController.message(clientFault));
        }
        log.error("unexpected error answering a request", e);
        return fault(500, "Unexpected API Error. Please report this at Ferry's issue tracker and attach the request id.");
    }
}
