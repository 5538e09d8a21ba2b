package io.pgforce.config;

import java.nio.file.Path;

/**
 * Invalid mapping configuration. The message always names the file and, where they apply, the
 * mapping and the field, so that a user can go straight to the line to fix.
 */
public class MappingException extends InvalidConfigurationException {

    private final transient Path file;
    private final String mapping;
    private final String field;

    public MappingException(Path file, String mapping, String field, String problem) {
        super(describe(file, mapping, field, problem));
        this.file = file;
        this.mapping = mapping;
        this.field = field;
    }

    public MappingException(Path file, String problem, Throwable cause) {
        super(describe(file, null, null, problem), cause);
        this.file = file;
        this.mapping = null;
        this.field = null;
    }

    private static String describe(Path file, String mapping, String field, String problem) {
        StringBuilder sb = new StringBuilder("Invalid mapping configuration in ").append(file);
        if (mapping != null) {
            sb.append(", mapping '").append(mapping).append('\'');
        }
        if (field != null) {
            sb.append(", field '").append(field).append('\'');
        }
        return sb.append(": ").append(problem).toString();
    }

    public Path file() {
        return file;
    }

    public String mapping() {
        return mapping;
    }

    public String field() {
        return field;
    }
}
