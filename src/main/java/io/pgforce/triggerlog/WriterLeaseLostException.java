package io.pgforce.triggerlog;

/** This instance no longer holds the writer lease: it changed nothing, and its cycle ends. */
public class WriterLeaseLostException extends RuntimeException {

    public WriterLeaseLostException(String owner) {
        super("This instance (" + owner + ") no longer holds the writer lease: another instance writes now");
    }
}
