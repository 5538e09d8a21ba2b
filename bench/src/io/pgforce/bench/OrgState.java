package io.pgforce.bench;

import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.simulator.SimRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an org holds, in terms two runs can compare: every live record of the benchmark's objects
 * keyed by object and External_Id__c, with its fields, Ids of other records replaced by their
 * key (Ids depend on the order records were created, which concurrency changes) and the
 * timestamps left out.
 */
final class OrgState {

    private static final Set<String> VOLATILE = Set.of("id", "createddate", "lastmodifieddate", "systemmodstamp");

    private final Map<String, Map<String, Object>> records;

    private OrgState(Map<String, Map<String, Object>> records) {
        this.records = records;
    }

    static OrgState of(SalesforceSimulator sf) {
        Map<String, String> keyOfId = new HashMap<>();
        List<SimRecord> all = new ArrayList<>();
        for (String object : BenchSchema.OBJECTS) {
            for (SimRecord r : sf.org().records(object)) {
                keyOfId.put(r.id(), object + ":" + r.get("External_Id__c"));
                all.add(r);
            }
        }
        Map<String, Map<String, Object>> records = new TreeMap<>();
        for (SimRecord r : all) {
            Map<String, Object> fields = new TreeMap<>();
            r.fields().forEach((name, value) -> {
                if (!VOLATILE.contains(name.toLowerCase())) {
                    fields.put(name.toLowerCase(), value instanceof String s && keyOfId.containsKey(s) ? "-> " + keyOfId.get(s) : value);
                }
            });
            records.put(keyOfId.get(r.id()), fields);
        }
        return new OrgState(records);
    }

    int size() {
        return records.size();
    }

    /** Every difference, the first few spelled out: empty when both orgs hold the same. */
    List<String> differences(OrgState other, int spelledOut) {
        List<String> out = new ArrayList<>();
        Set<String> keys = new TreeSet<>(records.keySet());
        keys.addAll(other.records.keySet());
        int differing = 0;
        for (String key : keys) {
            Map<String, Object> a = records.get(key);
            Map<String, Object> b = other.records.get(key);
            if (a == null || !a.equals(b)) {
                if (++differing <= spelledOut) {
                    out.add(key + ": " + a + " vs " + b);
                }
            }
        }
        if (differing > spelledOut) {
            out.add("... " + (differing - spelledOut) + " more");
        }
        return out;
    }
}
