package io.pgforce.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The org's Change Data Capture event bus: every committed write transaction publishes one event
 * per changed record (the same update or delete of several records of one object merged into one
 * event, as Salesforce does), numbered by increasing replay ids and retained 72 hours for replay.
 * Salesforce sets no count on retention; the simulator keeps at most {@link #CAPACITY} events, the
 * oldest going first, so that a long run cannot fill the memory.
 */
public final class ChangeEventLog {

    static final Duration RETENTION = Duration.ofHours(72);
    static final int CAPACITY = 100_000;
    private static final DateTimeFormatter EVENT_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final String commitUser;
    private final ArrayDeque<ChangeEvent> events = new ArrayDeque<>();
    private long lastReplayId;
    /** The last replay id published before the last {@link #clear()}: positions up to it belong to the org that was. */
    private long clearedThrough;
    private long commitNumber;

    ChangeEventLog(Clock clock, String commitUser) {
        this.clock = clock;
        this.commitUser = commitUser;
    }

    /** Publishes one committed transaction's changes, in the order they were saved; {@code api} names where they came from (soap, rest, bulkapi). */
    synchronized void publish(List<RecordChange> changes, String api) {
        if (changes.isEmpty()) {
            return;
        }
        Instant committed = clock.instant();
        String transactionKey = UUID.randomUUID().toString();
        commitNumber++;
        int sequence = 0;
        for (List<RecordChange> merged : merge(changes)) {
            RecordChange first = merged.get(0);
            List<String> ids = merged.stream().map(RecordChange::recordId).toList();
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("entityName", first.entity());
            header.put("recordIds", ids);
            header.put("changeType", first.changeType());
            header.put("changeOrigin", "com/salesforce/api/" + api);
            header.put("transactionKey", transactionKey);
            header.put("sequenceNumber", ++sequence);
            header.put("commitTimestamp", committed.toEpochMilli());
            header.put("commitNumber", commitNumber);
            header.put("commitUser", commitUser);
            header.put("changedFields", first.changedFields());
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("ChangeEventHeader", header);
            first.fields().forEach((k, v) -> payload.put(k, v instanceof Instant i ? EVENT_DATETIME.format(i) : FieldValues.json(v)));
            events.addLast(new ChangeEvent(++lastReplayId, first.entity(), ids, first.changeType(), committed, payload));
        }
        prune();
        notifyAll();
    }

    /** Runs of the same change to records of one object, in order of their first record. */
    private static List<List<RecordChange>> merge(List<RecordChange> changes) {
        List<List<RecordChange>> out = new ArrayList<>();
        for (RecordChange c : changes) {
            List<RecordChange> into = out.stream().filter(run -> run.get(0).sameChangeAs(c)).findFirst().orElse(null);
            if (into == null) {
                out.add(new ArrayList<>(List.of(c)));
            } else {
                into.add(c);
            }
        }
        return out;
    }

    private void prune() {
        Instant oldest = clock.instant().minus(RETENTION);
        while (!events.isEmpty() && (events.size() > CAPACITY || events.peekFirst().committed().isBefore(oldest))) {
            events.removeFirst();
        }
    }

    /** Every retained event, oldest first. */
    public synchronized List<ChangeEvent> events() {
        prune();
        return List.copyOf(events);
    }

    /** The retained events after {@code replayId} that a subscriber of {@code channel} receives, oldest first, at most {@code max}. */
    synchronized List<ChangeEvent> after(long replayId, String channel, int max) {
        prune();
        List<ChangeEvent> out = new ArrayList<>();
        for (ChangeEvent e : events) {
            if (e.replayId() > replayId && e.on(channel)) {
                out.add(e);
                if (out.size() == max) {
                    break;
                }
            }
        }
        return out;
    }

    /** The replay id of the newest event published (0 before the first): a subscription from -1 starts after it. */
    synchronized long latest() {
        return lastReplayId;
    }

    /** The replay id just before the oldest retained event: a subscription from -2 starts after it. */
    synchronized long beforeOldest() {
        prune();
        return events.isEmpty() ? lastReplayId : events.peekFirst().replayId() - 1;
    }

    /**
     * Whether a subscriber can replay from after {@code replayId}: it has been published, and nothing after
     * it has left retention. A position from before a {@link #clear()} is good while nothing published since
     * has left retention: the events it would miss belonged to the org that was cleared, not to this one.
     */
    synchronized boolean replayable(long replayId) {
        long from = beforeOldest();
        return replayId <= lastReplayId && (replayId >= from || replayId <= clearedThrough && clearedThrough >= from);
    }

    /** Waits until an event after {@code replayId} is published, at most {@code millis}. */
    synchronized void awaitAfter(long replayId, long millis) throws InterruptedException {
        if (lastReplayId <= replayId && millis > 0) {
            wait(millis);
        }
    }

    /** Forgets every event; replay ids go on from where they were, so a subscriber's position never points into a new org's events. */
    synchronized void clear() {
        events.clear();
        clearedThrough = lastReplayId;
    }
}
