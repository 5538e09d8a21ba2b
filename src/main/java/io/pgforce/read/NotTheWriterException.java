package io.pgforce.read;

/** This instance no longer holds the writer lease: the read stops, the new writer reads on from the watermark. */
final class NotTheWriterException extends RuntimeException {

    NotTheWriterException(String table) {
        super("this instance no longer holds the writer lease: the read of " + table + " stops, the writer reads on");
    }
}
