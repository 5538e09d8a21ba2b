package io.pgforce.simulator;

/** A failure of a whole call (a SOAP fault, a REST/Bulk error response), with Salesforce's exception code. */
public class SimFault extends RuntimeException {

    private final String code;
    private final int httpStatus;

    public SimFault(String code, String message) {
        this(code, message, 500);
    }

    public SimFault(String code, String message, int httpStatus) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
