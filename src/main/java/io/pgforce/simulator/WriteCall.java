package io.pgforce.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One write call's records through the org, as the SOAP partner API and REST (sObject collections,
 * and single-record writes as a call of one) process them: at most 200 records in at most 10 chunks
 * of one type each, nothing written during maintenance, an Id twice in one call refused, the org's
 * time per record, record locks ({@link RowLocks}) and all-or-none rollback. The call is one transaction; a failure of the
 * whole call (an unknown field, say) leaves nothing written.
 */
final class WriteCall {

    static final int MAX_RECORDS = 200;
    static final int MAX_CHUNKS = 10;

    /** A record to write: its type (null for a delete) and what the client sent. */
    record Item(String type, RecordInput input) {
    }

    private final SimulatorContext ctx;
    /** The API the call came through, as the call log names it: SOAP, REST, COLLECTIONS. */
    private final String api;
    /** create, update, upsert or delete. */
    private final String operation;
    private final String externalIdField;
    private final WriteOptions options;
    private final boolean allOrNone;
    private final long startNanos;
    private List<Item> items = List.of();
    private SaveOutcome[] results = new SaveOutcome[0];

    /** @param startNanos when the call arrived ({@link System#nanoTime()}), for its duration in the call log */
    WriteCall(SimulatorContext ctx, String api, String operation, String externalIdField, WriteOptions options, boolean allOrNone, long startNanos) {
        this.ctx = ctx;
        this.api = api;
        this.startNanos = startNanos;
        this.operation = operation;
        this.externalIdField = externalIdField;
        this.options = options;
        this.allOrNone = allOrNone;
    }

    /** One outcome per item, in order; a {@link SimFault} when the call fails as a whole (logged with its code). */
    SaveOutcome[] run(List<Item> sent) {
        this.items = sent;
        try {
            this.results = write(sent);
        } catch (SimFault f) {
            log(f.code());
            throw f;
        }
        return results;
    }

    /**
     * Logs the call {@link #run} wrote under {@code api} and, when a lost response is due
     * ({@link Faults#loseResponses}), drops the connection: the records are committed, the client
     * never hears of it. True when the caller is to answer.
     */
    boolean logAndAnswer(HttpExchange ex, Map<String, String> detail) {
        long failed = java.util.Arrays.stream(results).filter(r -> !r.success()).count();
        return logAndAnswer(ctx, ex, failed == 0 ? "OK" : failed + " failed", outcome -> logged(outcome, detail));
    }

    /**
     * Logs a write request's {@code outcome} through {@code log} and, when a lost response is due,
     * drops the connection after the writes committed. True when the caller is to answer.
     */
    static boolean logAndAnswer(SimulatorContext ctx, HttpExchange ex, String outcome, java.util.function.Consumer<String> log) {
        boolean lose = ctx.faults().takeLostResponse();
        log.accept(lose ? "RESPONSE_LOST (" + outcome + ")" : outcome);
        if (lose) {
            ex.close();
        }
        return !lose;
    }

    private void log(String outcome) {
        logged(outcome, Map.of());
    }

    private void logged(String outcome, Map<String, String> detail) {
        List<String> chunkTypes = chunks(items);
        ctx.calls().add(new CallLog.Call(Instant.now(), api, operation, chunkTypes, items.size(), chunkTypes.size(),
                (System.nanoTime() - startNanos) / 1_000_000, outcome, detail));
    }

    /** A whole-call fault {@link Faults#faultCalls} has due, thrown before anything is written. */
    static void injectedFault(SimulatorContext ctx) {
        String injected = ctx.faults().takeCallFault();
        if (injected != null) {
            throw new SimFault(injected, "An unexpected error occurred. Please include this ErrorId if you contact support: 1234567-8910 (-1)", 500);
        }
    }

    /** The org's time for a call of this many records; concurrent calls each take their own. */
    static void orgTime(SimulatorContext ctx, int records) {
        Faults faults = ctx.faults();
        SoapEndpoint.pause(faults.latencyPerCallMillis() + (faults.latencyPerRecordMillis() + faults.profile().soapMillisPerRecord()) * records);
    }

    static SimError maintenanceError() {
        return SimError.of("INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE",
                "Unable to process your request because this org is in read-only mode for maintenance. Try again later.");
    }

    private SaveOutcome[] write(List<Item> items) {
        injectedFault(ctx);
        if (items.size() > MAX_RECORDS) {
            throw new SimFault("EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than " + MAX_RECORDS + " records into this call");
        }
        if (chunks(items).size() > MAX_CHUNKS) {
            throw new SimFault("INVALID_BATCH_REQUEST", "Cannot have more than " + MAX_CHUNKS
                    + " chunks in a single operation. Please rearrange the data to reduce chunking.");
        }
        SaveOutcome[] results = new SaveOutcome[items.size()];
        precheck(items, results);
        try {
            lock(items, results);
            // the org's time for the records, with their locks held: a concurrent call needing one waits
            orgTime(ctx, items.size());
            return save(items, results);
        } finally {
            ctx.locks().release(this);
        }
    }

    /**
     * Locks the records and their parents for the call (one transaction); a record whose lock another
     * transaction still holds after the lock wait fails with UNABLE_TO_LOCK_ROW, naming the record.
     */
    private void lock(List<Item> items, SaveOutcome[] results) {
        List<Set<String>> targets = new ArrayList<>();
        Set<String> all = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            Set<String> t = results[i] != null ? Set.of() : ctx.org().lockTargets(item.type(), operation, externalIdField, item.input());
            targets.add(t);
            all.addAll(t);
        }
        Set<String> held = ctx.locks().acquire(this, all, ctx.faults().lockWait());
        int refused = 0;
        for (int i = 0; i < items.size() && !held.isEmpty(); i++) {
            String blocked = targets.get(i).stream().filter(held::contains).findFirst().orElse(null);
            if (blocked != null) {
                results[i] = unableToLock(blocked);
                refused++;
            }
        }
        ctx.locks().refused(refused);
    }

    static SaveOutcome unableToLock(String id) {
        return SaveOutcome.failed(SimError.of("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records: " + id));
    }

    private SaveOutcome[] save(List<Item> items, SaveOutcome[] results) {
        SimulatedOrg.Unit unit = ctx.writeUnit();
        boolean anyFailed = false;
        try {
            for (int i = 0; i < items.size(); i++) {
                if (results[i] == null) {
                    results[i] = writeOne(unit, items.get(i));
                }
                anyFailed |= !results[i].success();
            }
        } catch (SimFault f) {
            unit.rollback();
            throw f;
        }
        if (allOrNone && anyFailed) {
            unit.rollback();
            for (int i = 0; i < results.length; i++) {
                if (results[i].success()) {
                    results[i] = SaveOutcome.failed(SimError.of("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                            "Record rolled back because not all records were valid and the request was using AllOrNone header"));
                }
            }
        }
        unit.commit(api.equals("SOAP") ? "soap" : "rest"); // a rolled-back unit has nothing left to publish
        return results;
    }

    /** Maintenance and Ids sent twice, checked before anything is written. */
    private void precheck(List<Item> items, SaveOutcome[] results) {
        if (ctx.faults().maintenance()) {
            for (int i = 0; i < results.length; i++) {
                results[i] = SaveOutcome.failed(maintenanceError());
            }
            return;
        }
        if (!operation.equals("create")) {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                String id = items.get(i).input().id();
                if (id != null && !id.isBlank()) {
                    String key = SalesforceIds.wellFormed(id) ? SalesforceIds.normalize(id) : id;
                    Integer first = seen.putIfAbsent(key, i);
                    if (first != null) {
                        SaveOutcome dup = SaveOutcome.failed(SimError.of("DUPLICATE_VALUE", "Duplicate id in list: " + id));
                        results[first] = dup;
                        results[i] = dup;
                    }
                }
            }
        }
    }

    private SaveOutcome writeOne(SimulatedOrg.Unit unit, Item item) {
        return writeOne(ctx, unit, operation, externalIdField, options, item);
    }

    /** One record of {@code operation} in {@code unit}, row locks as {@link Faults#lockRows} has them. */
    static SaveOutcome writeOne(SimulatorContext ctx, SimulatedOrg.Unit unit, String operation, String externalIdField, WriteOptions options, Item item) {
        if (ctx.faults().rowLocked()) {
            return unableToLock(item.input().id() == null ? "" : item.input().id());
        }
        return switch (operation) {
            case "create" -> ctx.org().create(unit, item.type(), item.input(), options);
            case "update" -> ctx.org().update(unit, item.type(), item.input(), options);
            case "upsert" -> ctx.org().upsert(unit, item.type(), externalIdField, item.input(), options);
            default -> ctx.org().delete(unit, item.input().id());
        };
    }

    /** The type of each run of records of one type, in order: Salesforce processes a call in such chunks. */
    static List<String> chunks(List<Item> items) {
        List<String> chunks = new ArrayList<>();
        for (Item item : items) {
            String type = item.type() == null ? "" : item.type();
            if (chunks.isEmpty() || !chunks.get(chunks.size() - 1).equals(type)) {
                chunks.add(type);
            }
        }
        return chunks;
    }
}
