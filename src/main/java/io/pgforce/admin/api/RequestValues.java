package io.pgforce.admin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/** Reads what a request says (query parameters, a JSON body); a value that is not valid is a 400 naming it. */
final class RequestValues {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestValues() {
    }

    static long number(String name, String value, long fallback, long min, long max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name, "'" + value + "' is not a number");
        }
        if (n < min) {
            throw ApiException.badRequest(name, "must be at least " + min + ", found " + n);
        }
        return Math.min(n, max);
    }

    static boolean bool(String name, String value, boolean fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest(name, "must be true or false, found '" + value + "'");
        };
    }

    static <E extends Enum<E>> E constant(String name, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name, "unknown value '" + value + "' (one of " + java.util.Arrays.toString(type.getEnumConstants()) + ")");
        }
    }

    static Duration duration(String name, String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(value.strip());
            if (d.isNegative() || d.isZero()) {
                throw ApiException.badRequest(name, "must be positive, found " + value);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name, "'" + value + "' is not an ISO-8601 duration such as PT1H");
        }
    }

    static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** A JSON object body with only these keys; {@code required} refuses an empty body. */
    static ObjectNode body(String content, boolean required, Set<String> keys) {
        if (content == null || content.isBlank()) {
            if (required) {
                throw ApiException.badRequest("body", "a JSON object is required (send {} for none)");
            }
            return JSON.createObjectNode();
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "not valid JSON: " + e.getOriginalMessage());
        }
        if (!(tree instanceof ObjectNode object)) {
            throw ApiException.badRequest("body", "must be a JSON object, found " + tree.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        object.fieldNames().forEachRemaining(k -> {
            if (!keys.contains(k)) {
                throw ApiException.badRequest("body", "unknown key '" + k + "' (expected " + String.join(", ", new java.util.TreeSet<>(keys)) + ")");
            }
        });
        return object;
    }
}
