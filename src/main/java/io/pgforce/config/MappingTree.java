package io.pgforce.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.configuration.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;

/** Typed access to a parsed mapping document, turning every surprise into a located MappingException. */
final class MappingTree {

    private final Path file;

    MappingTree(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    MappingException error(String mapping, String field, String problem) {
        return new MappingException(file, mapping, field, problem);
    }

    /** Rejects keys outside {@code allowed}: a misspelt key must not be silently ignored. */
    void onlyKeys(JsonNode node, Set<String> allowed, String mapping, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw error(mapping, null, "unknown key '" + key + "' in " + where + " (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    String text(JsonNode node, String key, String mapping, String field) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw error(mapping, field, "'" + key + "' must be a single value, not " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return value.asText().trim();
    }

    String requiredText(JsonNode node, String key, String mapping, String field) {
        String value = text(node, key, mapping, field);
        if (value == null || value.isEmpty()) {
            throw error(mapping, field, "'" + key + "' is required");
        }
        return value;
    }

    boolean bool(JsonNode node, String key, boolean fallback, String mapping) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw error(mapping, null, "'" + key + "' must be true or false, found '" + value.asText() + "'");
        }
        return value.booleanValue();
    }

    /** A whole number from {@code least} to {@code most}. */
    int integer(JsonNode node, String key, int fallback, int least, int most) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        // canConvertToInt too: 4294967297 is integral, and intValue() would make it 1
        if (!value.canConvertToExactIntegral() || !value.canConvertToInt() || value.intValue() < least || value.intValue() > most) {
            throw error(null, null, "'" + key + "' must be a whole number from " + least + " to " + most + ", found '" + value.asText() + "'");
        }
        return value.intValue();
    }

    /**
     * A mapping's poll interval, {@code 30s}, {@code 10m}, {@code PT1M} or a whole number of
     * seconds ({@code wholeSeconds}: the export's {@code sf_polling_seconds}); null when not given.
     */
    Duration pollInterval(JsonNode node, String key, String mapping, boolean wholeSeconds) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        Duration d = null;
        try {
            d = wholeSeconds ? value.canConvertToExactIntegral() ? Duration.ofSeconds(value.longValue()) : null : DurationConverter.parseDuration(value.asText().trim());
        } catch (RuntimeException notADuration) {
            // said below
        }
        if (d == null || d.toNanosPart() != 0 || d.compareTo(Mapping.SHORTEST_POLL_INTERVAL) < 0 || d.compareTo(Mapping.LONGEST_POLL_INTERVAL) > 0) {
            throw error(mapping, null, "'" + key + "' must be " + (wholeSeconds ? "a whole number of seconds" : "a duration in whole seconds such as 30s or 10m")
                    + " from 1 second to 1 day, found '" + value.asText() + "'");
        }
        return d;
    }

    /** API versions are written as 62.0 or "62.0"; both become the string "62.0". */
    String apiVersion(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return ConnectionSettings.DEFAULT_API_VERSION;
        }
        String text = value.isNumber() ? String.valueOf(value.doubleValue()) : value.asText().trim();
        if (text.startsWith("v")) {
            text = text.substring(1);
        }
        if (!text.matches("\\d{2}(\\.0)?")) {
            throw error(null, null, "'" + key + "' must be a Salesforce API version such as 62.0, found '" + value.asText() + "'");
        }
        return text.contains(".") ? text : text + ".0";
    }
}
