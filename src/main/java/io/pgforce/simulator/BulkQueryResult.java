package io.pgforce.simulator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVPrinter;

/**
 * The result of a Bulk API 2.0 query job, fixed when the job ran: its header (the query's
 * columns) and every row as text, so that later writes neither change nor move a row.
 */
record BulkQueryResult(List<String> header, List<List<String>> rows) {

    BulkQueryResult {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    /** The query's rows over these records, each value as Bulk CSV writes it. */
    static BulkQueryResult of(SoqlQuery query, List<SimRecord> records) {
        List<List<String>> rows = new ArrayList<>(records.size());
        for (SimRecord r : records) {
            List<String> row = new ArrayList<>(query.fields.size());
            for (String field : query.fields) {
                row.add(FieldValues.bulkCsv(query.value(r, field)));
            }
            rows.add(row);
        }
        return new BulkQueryResult(query.columns(), rows);
    }

    int size() {
        return rows.size();
    }

    /** The header and rows {@code from} (inclusive) to {@code to} (exclusive), in the job's dialect. */
    String csv(CsvDialect dialect, int from, int to) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, dialect.results())) {
            csv.printRecord(header);
            for (List<String> row : rows.subList(from, to)) {
                csv.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
