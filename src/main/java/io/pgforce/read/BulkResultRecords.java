package io.pgforce.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.camel.Body;

/**
 * A page of a Bulk query job's results, CSV, as the records of a REST query's answer, which
 * {@link PageApply} takes: each row an object by its header's column names, a relationship column
 * ({@code Account.External_Id__c}) nested under its relationship as the REST API nests it, and an
 * empty cell null (Bulk CSV writes null as an empty string, and Salesforce keeps no empty string).
 * Values stay text: the column's type reads {@code true}, {@code 12.5}, {@code 2024-01-31} and
 * {@code 2024-01-31T23:59:59.000Z} from text as it does from the REST API's JSON.
 */
@ApplicationScoped
@Unremovable
@Named("bulkResultRecords")
public class BulkResultRecords {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build();

    /** The page's records, in its order. */
    public ArrayNode records(@Body InputStream csv) throws IOException {
        ArrayNode records = NODES.arrayNode();
        try (Reader in = new InputStreamReader(csv, StandardCharsets.UTF_8); CSVParser rows = CSV.parse(in)) {
            List<String> columns = rows.getHeaderNames();
            for (CSVRecord row : rows) {
                ObjectNode record = records.addObject();
                for (int i = 0; i < columns.size() && i < row.size(); i++) {
                    put(record, columns.get(i), row.get(i));
                }
            }
        }
        return records;
    }

    private static void put(ObjectNode record, String column, String value) {
        JsonNode node = value.isEmpty() ? NODES.nullNode() : NODES.textNode(value);
        int dot = column.lastIndexOf('.');
        if (dot < 0) {
            record.set(column, node);
            return;
        }
        // Parent.Field, or Parent.Grandparent.Field: one object a relationship, as the REST API's
        ObjectNode parent = record;
        for (String relationship : column.substring(0, dot).split("\\.")) {
            JsonNode existing = parent.get(relationship);
            parent = existing instanceof ObjectNode o ? o : parent.putObject(relationship);
        }
        parent.set(column.substring(dot + 1), node);
    }
}
