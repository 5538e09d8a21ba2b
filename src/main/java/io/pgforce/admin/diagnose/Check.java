package io.pgforce.admin.diagnose;

import java.util.List;

/**
 * One result of diagnose, as the JSON carries it.
 *
 * @param scope   {@code connection}, or the mapping's object name
 * @param check   the check's id: kebab-case, stable (scripts and the CLI match on it)
 * @param message what was found, naming the mapping, field and types it is about
 * @param action  what to do about it; empty when GREEN
 */
public record Check(String scope, String check, Status status, String message, String action) {

    public static final String CONNECTION = "connection";

    public static Check green(String scope, String check, String message) {
        return new Check(scope, check, Status.GREEN, message, "");
    }

    public static Check yellow(String scope, String check, String message, String action) {
        return new Check(scope, check, Status.YELLOW, message, action);
    }

    public static Check red(String scope, String check, String message, String action) {
        return new Check(scope, check, Status.RED, message, action);
    }

    /** The problems a check found, or one GREEN result saying what is fine when it found none. */
    static List<Check> orGreen(List<Check> problems, String scope, String check, String fine) {
        return problems.isEmpty() ? List.of(green(scope, check, fine)) : problems;
    }
}
