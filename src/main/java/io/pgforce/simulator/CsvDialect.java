package io.pgforce.simulator;

import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;

/**
 * The CSV of one Bulk API 2.0 job, as named when it was created: its column delimiter (COMMA, TAB,
 * PIPE, SEMICOLON, CARET or BACKQUOTE) and line ending (LF or CRLF). Ingest jobs read their upload
 * and write their results in it; query jobs write their results in it.
 */
record CsvDialect(String columnDelimiter, String lineEnding) {

    private static final Set<String> DELIMITERS = Set.of("COMMA", "TAB", "PIPE", "SEMICOLON", "CARET", "BACKQUOTE");

    /** Salesforce's defaults: COMMA and LF. */
    static final CsvDialect DEFAULT = new CsvDialect("COMMA", "LF");

    /** The problem with a job's request, in Salesforce's words, or null when both names are valid. */
    static String problem(String columnDelimiter, String lineEnding) {
        return !DELIMITERS.contains(columnDelimiter) ? "InvalidJob : Invalid column delimiter: " + columnDelimiter
                : !lineEnding.equals("LF") && !lineEnding.equals("CRLF") ? "InvalidJob : Invalid line ending: " + lineEnding
                : null;
    }

    char delimiter() {
        return switch (columnDelimiter) {
            case "TAB" -> '\t';
            case "PIPE" -> '|';
            case "SEMICOLON" -> ';';
            case "CARET" -> '^';
            case "BACKQUOTE" -> '`';
            default -> ',';
        };
    }

    String recordSeparator() {
        return "CRLF".equals(lineEnding) ? "\r\n" : "\n";
    }

    /** How Salesforce writes a job's results: every value in double quotes. */
    CSVFormat results() {
        return CSVFormat.DEFAULT.builder().setDelimiter(delimiter()).setRecordSeparator(recordSeparator()).setQuoteMode(QuoteMode.ALL).build();
    }
}
