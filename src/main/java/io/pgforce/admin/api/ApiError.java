package io.pgforce.admin.api;

/** Every error answer of the admin API: {@code {"error": "one line"}}. */
public record ApiError(String error) {

    /** One line: a message spread over lines (a driver's, a parser's) is joined. */
    public static ApiError of(String message) {
        String text = message == null || message.isBlank() ? "unknown error" : message.strip();
        return new ApiError(text.replaceAll("\\s*\\R\\s*", " "));
    }
}
