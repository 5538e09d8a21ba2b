package io.pgforce.bench;

import java.util.List;
import java.util.function.IntFunction;

/**
 * The objects every benchmark workload writes: the mapping file pgforce runs with, and for each
 * mapping table the columns a workload sets and the values it gives them. Every object is one of the
 * simulator's default org, with its unique identifier External_Id__c (so inserts are upserts);
 * Contact references its Account by that external ID.
 */
final class BenchSchema {

    /** A mapping table a workload writes: {@code values(i)} are SQL literals for {@code columns}, varied by a change number. */
    record Table(String object, String table, List<String> columns, IntFunction<List<String>> values) {

        String insertColumns() {
            return String.join(", ", columns) + ", external_id__c";
        }

        /** {@code (v1, v2, ..., 'externalId')} */
        String valuesRow(int i, String externalId) {
            return "(" + String.join(", ", values.apply(i)) + ", " + literal(externalId) + ")";
        }

        String insert(int i, String externalId) {
            return "INSERT INTO salesforce." + table + " (" + insertColumns() + ") VALUES " + valuesRow(i, externalId);
        }

        String update(int i, String externalId) {
            List<String> v = values.apply(i);
            StringBuilder set = new StringBuilder();
            for (int c = 0; c < columns.size(); c++) {
                set.append(c == 0 ? "" : ", ").append(columns.get(c)).append(" = ").append(v.get(c));
            }
            return "UPDATE salesforce." + table + " SET " + set + " WHERE external_id__c = " + literal(externalId);
        }

        String delete(String externalId) {
            return "DELETE FROM salesforce." + table + " WHERE external_id__c = " + literal(externalId);
        }
    }

    static final Table ACCOUNT = new Table("Account", "account", List.of("name", "numberofemployees", "description"),
            i -> List.of(literal("Account " + i), Integer.toString(i % 5000), literal("change " + i)));
    static final Table CONTACT = new Table("Contact", "contact", List.of("lastname", "email"),
            i -> List.of(literal("Last " + i), literal("c" + i + "@example.com")));
    static final Table LEAD = new Table("Lead", "lead", List.of("lastname", "company"),
            i -> List.of(literal("Lead " + i), literal("Company " + i % 300)));
    static final Table OPPORTUNITY = new Table("Opportunity", "opportunity", List.of("name", "stagename", "closedate", "amount"),
            i -> List.of(literal("Opportunity " + i), literal(i % 2 == 0 ? "Prospecting" : "Qualification"),
                    "DATE '2027-01-01' + " + i % 365, Integer.toString(i % 100_000)));
    static final Table INVOICE = new Table("Invoice__c", "invoice__c", List.of("name", "amount__c", "paid__c"),
            i -> List.of(literal("Invoice " + i), Integer.toString(1 + i % 9000), Boolean.toString(i % 2 == 0)));

    /** W5's five objects, in the order its generator picks them. */
    static final List<Table> MIXED = List.of(ACCOUNT, CONTACT, LEAD, OPPORTUNITY, INVOICE);

    /** The rig label of Ordered Writes packed by dependency ({@code ordering: record}); {@code ordered} is the original's log order. */
    static final String ORDERED_RECORD = "ordered-record";
    /** The rigs' name for Ordered Writes with {@code atomic_transactions: true}. */
    static final String ATOMIC = "atomic";

    /** Every object that a workload writes, with the relationship W3 uses; {@code algorithm} is ordered, merged, {@link #ORDERED_RECORD} or {@link #ATOMIC}. */
    static String mapping(String algorithm, int writeConcurrency) {
        String written = switch (algorithm) {
            case ORDERED_RECORD -> "ordered, ordering: record";
            case ATOMIC -> "ordered, atomic_transactions: true";
            default -> algorithm;
        };
        return """
                connection: {schema: salesforce, write_algorithm: %s, write_concurrency: %d, api_version: "62.0", bulk_writes: true}
                mappings:
                  - object: Account
                    unique_identifier: External_Id__c
                    fields: {Name: varchar(255), NumberOfEmployees: integer, Description: text, External_Id__c: varchar(255)}
                  - object: Contact
                    unique_identifier: External_Id__c
                    fields: {LastName: varchar(80), Email: varchar(80), External_Id__c: varchar(255)}
                    relationships:
                      - {name: Account, object: Account, external_id: External_Id__c}
                  - object: Lead
                    unique_identifier: External_Id__c
                    fields: {LastName: varchar(80), Company: varchar(255), External_Id__c: varchar(255)}
                  - object: Opportunity
                    unique_identifier: External_Id__c
                    fields: {Name: varchar(120), StageName: varchar(255), CloseDate: date, Amount: "numeric(16,2)", External_Id__c: varchar(255)}
                  - object: Invoice__c
                    unique_identifier: External_Id__c
                    fields: {Name: varchar(80), Amount__c: "numeric(16,2)", Paid__c: boolean, External_Id__c: varchar(255)}
                """.formatted(written, writeConcurrency);
    }

    /** READ-LOAD's object (a handful of fields) and READ-LAG's, in the order {@link #readMapping()} lists their fields. */
    static final List<String> READ_LOAD_FIELDS = List.of("Name", "AccountNumber", "NumberOfEmployees", "AnnualRevenue", "Industry", "External_Id__c");
    static final List<String> READ_LAG_FIELDS = List.of("FirstName", "LastName", "Email", "External_Id__c");

    /**
     * The read rows' mapping: Account, read_only, loaded by READ-LOAD and then left alone (polled once a
     * day), and Contact, read_only, polled every second for READ-LAG.
     */
    static String readMapping() {
        return """
                connection: {schema: salesforce, api_version: "62.0"}
                mappings:
                  - object: Account
                    access: read_only
                    unique_identifier: External_Id__c
                    poll_interval: 24h
                    fields: {Name: varchar(255), AccountNumber: varchar(40), NumberOfEmployees: integer, AnnualRevenue: "numeric(18,2)", Industry: varchar(255), External_Id__c: varchar(255)}
                  - object: Contact
                    access: read_only
                    unique_identifier: External_Id__c
                    poll_interval: %ds
                    fields: {FirstName: varchar(40), LastName: varchar(80), Email: varchar(80), External_Id__c: varchar(255)}
                """.formatted(READ_LAG_INTERVAL_SECONDS);
    }

    /** READ-LAG's poll interval: the lag's floor. */
    static final int READ_LAG_INTERVAL_SECONDS = 1;

    static final List<String> OBJECTS = List.of("Account", "Contact", "Lead", "Opportunity", "Invoice__c");

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private BenchSchema() {
    }
}
