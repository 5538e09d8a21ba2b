package io.pgforce.simulator;

/**
 * A failure of a whole call (a SOAP fault, a REST/Bulk error response), with Salesforce's exception code.
 * SOAP answers every fault with HTTP 500; REST answers with {@link #httpStatus()}, 400 unless said otherwise.
 */
public class SimFault extends RuntimeException {

    private final String code;
    private final int httpStatus;

    public SimFault(String code, String message) {
        this(code, message, 400);
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
