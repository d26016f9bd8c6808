package io.ferry.gateway.adapter.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Nova's query-string and body value rules: strict booleans, limits, ISO 8601 times, closed query schemas. */
final class Params {

    private static final Set<String> TRUE = Set.of("1", "t", "true", "on", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "f", "false", "off", "n", "no");
    /** {@code parameter_types.boolean}: JSON booleans or these strings. */
    private static final Set<String> BODY_BOOLEAN = Set.of("True", "TRUE", "true", "1", "ON", "On", "on", "YES",
            "Yes", "yes", "False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no");

    private Params() {
    }

    /** Refuses query parameters outside {@code allowed} (Nova's {@code additionalProperties: False}). */
    static void onlyAllowed(HttpServletRequest request, Set<String> allowed) {
        for (String name : request.getParameterMap().keySet()) {
            if (!allowed.contains(name)) {
                throw NovaApiException.badRequest("Invalid input for query parameters " + name
                        + ". Value: " + request.getParameter(name) + ". Additional properties are not allowed ('"
                        + name + "' was unexpected)");
            }
        }
    }

    /** oslo's {@code bool_from_string(strict=True)}. */
    static boolean strictBoolean(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(v)) {
            return true;
        }
        if (FALSE.contains(v)) {
            return false;
        }
        throw NovaApiException.badRequest("Invalid input for query parameters " + name + ". Value: " + value
                + ". Unrecognized value '" + value + "', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', "
                + "'off', 'on', 't', 'true', 'y', 'yes'");
    }

    /** A body value of {@code parameter_types.boolean}; null when absent. */
    static Boolean bodyBoolean(String field, Object value) {
        return switch (value) {
            case null -> null;
            case Boolean b -> b;
            case String s when BODY_BOOLEAN.contains(s) -> TRUE.contains(s.toLowerCase(Locale.ROOT));
            default -> throw invalidField(field, value, "is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', "
                    + "'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', "
                    + "'NO', 'No', 'no']");
        };
    }

    static NovaApiException invalidField(String field, Object value, String reason) {
        return NovaApiException.badRequest("Invalid input for field/attribute " + field + ". Value: "
                + render(value) + ". " + render(value) + " " + reason);
    }

    static String render(Object value) {
        return switch (value) {
            case null -> "None";
            case String s -> "'" + s + "'";
            case Boolean b -> b ? "True" : "False";
            default -> String.valueOf(value);
        };
    }

    /** Nova's {@code limit}: a non-negative integer; null when absent. */
    static Integer limit(HttpServletRequest request) {
        String value = request.getParameter("limit");
        if (value == null) {
            return null;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit < 0) {
                throw NovaApiException.badRequest("limit param must be positive");
            }
            return limit;
        } catch (NumberFormatException e) {
            throw NovaApiException.badRequest("limit param must be an integer");
        }
    }

    /** An ISO 8601 time of a query parameter; null when absent. */
    static Instant time(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null) {
            return null;
        }
        try {
            String v = value.trim().replace(' ', '+');
            if (!v.endsWith("Z") && !v.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                v = v + "Z";
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw NovaApiException.badRequest("Invalid input for query parameters " + name + ". Value: " + value
                    + ". '" + value + "' is not a 'date-time'");
        }
    }

    /** The keys of a JSON object that a closed schema does not list. */
    static void noOtherKeys(String field, Map<?, ?> object, List<String> allowed) {
        for (Object key : object.keySet()) {
            if (!allowed.contains(String.valueOf(key))) {
                throw NovaApiException.badRequest("Invalid input for field/attribute " + field + ". Value: "
                        + object + ". Additional properties are not allowed ('" + key + "' was unexpected)");
            }
        }
    }

    static void required(String field, Map<?, ?> object, String... keys) {
        for (String key : keys) {
            if (!object.containsKey(key)) {
                throw NovaApiException.badRequest("Invalid input for field/attribute " + field + ". Value: "
                        + object + ". '" + key + "' is a required property");
            }
        }
    }

    static List<String> list(String... values) {
        return Arrays.asList(values);
    }
}
