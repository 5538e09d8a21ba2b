package io.pgforce.read;

import java.time.Instant;

/**
 * One mapping's read as {@code _pgforce_read_state} holds it, for the operations surface.
 *
 * @param watermark        the newest SystemModstamp applied; null before the first record
 * @param lagSeconds       now minus the watermark, in the database's time; null without a watermark
 * @param apiCalls         every page read since the state began (each page is one call)
 * @param lastPollApiCalls the calls of the last read (the one running, while one runs)
 * @param loadApiCalls     the calls of the load (of the last reload, if any)
 * @param reloadRequested  a reload waits for the next read to begin
 * @param streamSubscribed accelerated polling: whether the object's change events are subscribed on this
 *                         instance (only the writer subscribes); null for a mapping without it
 */
public record ReadState(ReadPhase phase, Instant watermark, Double lagSeconds, Instant loadedAt, Instant lastPollStarted, Instant lastPollEnded,
                        String lastError, long recordsApplied, long recordsFailed, long apiCalls, long lastPollApiCalls, long loadApiCalls,
                        boolean reloadRequested, Boolean streamSubscribed) {
}
