package io.pgforce.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Packs write items, in the order given, into SOAP messages as full as the partner API allows:
 * one operation (and upsert key) per call, at most 200 records, at most 10 contiguous same-object
 * chunks, never the same record twice. Bulk jobs can be put in between; they close the message
 * being packed, so the order of everything stays as given.
 */
final class BatchPacker {

    private final PlanRules rules;
    private final List<WriteBatch> batches = new ArrayList<>();
    private final List<WriteItem> items = new ArrayList<>();
    private final Set<RecordKey> records = new HashSet<>();
    private Operation operation;
    private String externalIdField;
    private String lastObject;
    private int chunks;

    BatchPacker(PlanRules rules) {
        this.rules = rules;
    }

    void soap(WriteItem item) {
        String key = rules.externalIdField(item);
        RecordKey record = RecordKey.of(item);
        boolean newChunk = !item.object().equals(lastObject);
        boolean fits = !items.isEmpty() && item.operation() == operation && Objects.equals(key, externalIdField)
                && items.size() < rules.soapMaxRecords() && !records.contains(record) && (!newChunk || chunks < rules.soapMaxChunks());
        if (!fits) {
            flush();
            operation = item.operation();
            externalIdField = key;
            newChunk = true;
        }
        items.add(item);
        records.add(record);
        if (newChunk) {
            chunks++;
            lastObject = item.object();
        }
    }

    /**
     * A run of one object's records: with several lanes and more records than one call takes, one
     * parent's children go together in as few calls as they fill, each call begun afresh, and the
     * calls are spread so that those the lanes take at once share no parent ({@link ParentLocks}).
     */
    void soapRun(List<WriteItem> run) {
        if (rules.writeConcurrency() < 2 || run.size() <= rules.soapMaxRecords()) {
            run.forEach(this::soap);
            return;
        }
        List<WriteItem> grouped = ParentLocks.byParent(run, rules);
        List<List<WriteItem>> calls = new ArrayList<>();
        for (int from = 0; from < grouped.size(); from += rules.soapMaxRecords()) {
            calls.add(grouped.subList(from, Math.min(grouped.size(), from + rules.soapMaxRecords())));
        }
        for (List<WriteItem> call : ParentLocks.spread(calls, rules, rules.writeConcurrency())) {
            flush();
            call.forEach(this::soap);
        }
    }

    void bulk(List<WriteItem> job) {
        flush();
        WriteItem first = job.get(0);
        batches.add(new WriteBatch(batches.size() + 1, Api.BULK, first.operation(), rules.externalIdField(first), job));
    }

    List<WriteBatch> finish() {
        flush();
        return batches;
    }

    /** Closes the message being packed: what comes next goes in a new one (a later level of a record-ordered plan). */
    void flush() {
        if (!items.isEmpty()) {
            batches.add(new WriteBatch(batches.size() + 1, Api.SOAP, operation, externalIdField, items));
        }
        items.clear();
        records.clear();
        chunks = 0;
        lastObject = null;
        operation = null;
        externalIdField = null;
    }
}
