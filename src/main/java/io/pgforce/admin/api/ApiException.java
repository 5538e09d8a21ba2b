package io.pgforce.admin.api;

/** A call the admin API refuses, with the status and the one line that says why. */
public class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** A request parameter or body value that is not valid: names it. */
    public static ApiException badRequest(String parameter, String problem) {
        return new ApiException(400, parameter + ": " + problem);
    }

    public int status() {
        return status;
    }
}
