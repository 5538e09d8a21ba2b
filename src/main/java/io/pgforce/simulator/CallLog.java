package io.pgforce.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Every call the simulator answered, and counters per API and operation, for tests and benchmarks. */
public final class CallLog {

    /**
     * One call.
     *
     * @param objects sObject types in call order (one per chunk for SOAP)
     * @param detail  headers of interest, e.g. the assignment rule applied
     */
    public record Call(Instant at, String api, String operation, List<String> objects, int records, int chunks, long durationMillis,
                       String outcome, Map<String, String> detail) {

        public Call {
            objects = List.copyOf(objects);
            detail = Map.copyOf(detail);
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    void add(Call call) {
        calls.add(call);
        counters.computeIfAbsent(call.api() + "." + call.operation(), k -> new AtomicLong()).incrementAndGet();
        counters.computeIfAbsent(call.api() + ".records", k -> new AtomicLong()).addAndGet(call.records());
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String api, String operation) {
        List<Call> out = new ArrayList<>();
        for (Call c : calls) {
            if (c.api().equals(api) && (operation == null || c.operation().equals(operation))) {
                out.add(c);
            }
        }
        return out;
    }

    /** Counters such as {@code SOAP.create}, {@code BULK.ingest}, {@code SOAP.records}. */
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public void clear() {
        calls.clear();
        counters.clear();
    }
}
