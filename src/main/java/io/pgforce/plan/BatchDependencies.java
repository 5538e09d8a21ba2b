package io.pgforce.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which earlier batches of a plan each batch must wait for when batches go to Salesforce
 * concurrently, so that the outcome is the one serial writing gives: a batch never overtakes an
 * earlier one that writes a record it writes too (by row or by sfid), that writes a record one of
 * its values references by sfid, or whose object it references as a parent, nor the other way
 * round. Batches that share none of these are independent and may go in any order.
 */
public final class BatchDependencies {

    /** A Salesforce Id: 15 or 18 letters and digits. Any such value may reference a record. */
    static final Pattern SFID = Pattern.compile("[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}");

    /**
     * How a batch uses a key. Writing a record is exclusive. An object's records being written
     * (PRESENT) and a child referencing that object (REFERENCED) only exclude each other: parents
     * go together, and so do children.
     */
    private enum Use {
        EXCLUSIVE, PRESENT, REFERENCED;

        Use with(Use other) {
            return this == other ? this : EXCLUSIVE;
        }
    }

    /** Who used a key last: the last exclusive user, and the shared users since. */
    private static final class KeyHistory {
        int exclusive = -1;
        final List<Integer> present = new ArrayList<>();
        final List<Integer> referenced = new ArrayList<>();
    }

    private BatchDependencies() {
    }

    /** For each batch, in plan order, the earlier batches (by index) it must wait for. */
    public static List<Set<Integer>> of(List<WriteBatch> batches, PlanRules rules) {
        Map<String, KeyHistory> history = new HashMap<>();
        List<Set<Integer>> dependencies = new ArrayList<>(batches.size());
        for (int b = 0; b < batches.size(); b++) {
            Set<Integer> waitFor = new TreeSet<>();
            for (Map.Entry<String, Use> key : keys(batches.get(b), rules).entrySet()) {
                KeyHistory h = history.computeIfAbsent(key.getKey(), k -> new KeyHistory());
                if (h.exclusive >= 0) {
                    waitFor.add(h.exclusive);
                }
                switch (key.getValue()) {
                    case EXCLUSIVE -> {
                        waitFor.addAll(h.present);
                        waitFor.addAll(h.referenced);
                        h.present.clear();
                        h.referenced.clear();
                        h.exclusive = b;
                    }
                    case PRESENT -> {
                        waitFor.addAll(h.referenced);
                        h.present.add(b);
                    }
                    case REFERENCED -> {
                        waitFor.addAll(h.present);
                        h.referenced.add(b);
                    }
                }
            }
            dependencies.add(waitFor);
        }
        return dependencies;
    }

    private static Map<String, Use> keys(WriteBatch batch, PlanRules rules) {
        Map<String, Use> keys = new HashMap<>();
        for (WriteItem item : batch.items()) {
            keys.merge("row:" + item.table() + ":" + item.recordId(), Use.EXCLUSIVE, Use::with);
            if (item.sfid() != null) {
                keys.merge(sfidKey(item.sfid()), Use.EXCLUSIVE, Use::with);
            }
            keys.merge("object:" + item.object(), Use.PRESENT, Use::with);
            for (String parent : rules.rules(item.table()).parentObjects()) {
                keys.merge("object:" + parent, Use.REFERENCED, Use::with);
            }
            for (Object value : item.values().values()) {
                if (value instanceof String text && SFID.matcher(text).matches()) {
                    keys.merge(sfidKey(text), Use.REFERENCED, Use::with);
                }
            }
        }
        return keys;
    }

    /** An 18-character Id is the 15-character one plus a case checksum: both name the same record. */
    static String sfidKey(String sfid) {
        return "sfid:" + sfid.substring(0, Math.min(15, sfid.length()));
    }
}
