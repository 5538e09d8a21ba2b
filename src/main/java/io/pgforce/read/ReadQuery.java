package io.pgforce.read;

import io.pgforce.config.Mapping;
import io.pgforce.config.MappingField;
import io.pgforce.config.Relationship;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The one SOQL query a load and a poll both are: every record of the object (deleted ones too:
 * the route reads it with {@code queryAll}) in SystemModstamp order, from the watermark less the
 * overlap, or all of them when nothing was applied yet. Ordered by stamp, a page's newest stamp is
 * a point every earlier record was read before, so a read interrupted after any page goes on from
 * there; Id breaks ties, so that the order is the same every time. A write_only field is not
 * selected: Postgres owns it.
 */
final class ReadQuery {

    /** The system fields every read selects first; their columns are every mapping table's. */
    static final List<String> SYSTEM_FIELDS = List.of("Id", "IsDeleted", "SystemModstamp", "CreatedDate");

    private ReadQuery() {
    }

    /** @param watermark the newest SystemModstamp applied, or null for a full load */
    static String soql(Mapping mapping, Instant watermark, Duration overlap) {
        StringBuilder soql = new StringBuilder(bulkSoql(mapping));
        if (watermark != null) {
            // SOQL's datetime literal, unquoted; SystemModstamp keeps whole seconds
            soql.append(" WHERE SystemModstamp >= ").append(watermark.minus(overlap).truncatedTo(ChronoUnit.SECONDS));
        }
        return soql.append(" ORDER BY SystemModstamp, Id").toString();
    }

    /**
     * A Bulk load's query: the same fields, every record, in no order. A job's results are fixed
     * when it runs and followed by locator, so no order is needed to resume; Salesforce advises
     * against ORDER BY in Bulk queries, as it turns off splitting the query into chunks.
     */
    static String bulkSoql(Mapping mapping) {
        List<String> fields = new ArrayList<>(SYSTEM_FIELDS);
        mapping.readFields().stream().map(MappingField::name).forEach(fields::add); // write_only fields are never read
        for (Relationship r : mapping.relationships()) {
            fields.add(r.name() + "." + r.externalIdField());
        }
        return "SELECT " + String.join(", ", fields) + " FROM " + mapping.object();
    }

    /** The number of the object's records, to choose how to load it (a Bulk query cannot count). */
    static String countSoql(Mapping mapping) {
        return "SELECT COUNT() FROM " + mapping.object();
    }
}
