package io.pgforce.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server-side cursors of REST queries whose result did not fit in one page. A cursor holds the
 * whole result as it was when the query ran, so records changed afterwards neither move between
 * pages nor change on them; its locator ({@code 01g...-2000}: the cursor and the offset of the next
 * page) can be asked for again, as after a lost answer. Salesforce keeps a cursor for two days and,
 * since API 56.0, sets no limit on how many are open; the simulator keeps at most
 * {@link #MAX_OPEN}, releasing the oldest, so that abandoned cursors cannot exhaust its memory.
 */
public final class QueryCursors {

    /** Rows in a page unless the client asks for fewer: Salesforce's maximum and default. */
    static final int MAX_BATCH = 2000;
    /** The fewest rows a client can ask for in a page. */
    static final int MIN_BATCH = 200;
    static final Duration LIFETIME = Duration.ofDays(2);
    static final int MAX_OPEN = 100;
    private static final Pattern LOCATOR = Pattern.compile("([0-9A-Za-z]{18})-(\\d+)");

    /** One page of a result: what the query resources answer. */
    record Page(List<Map<String, Object>> records, int totalSize, String nextRecordsUrl) {

        Map<String, Object> json() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("totalSize", totalSize);
            body.put("done", nextRecordsUrl == null);
            if (nextRecordsUrl != null) {
                body.put("nextRecordsUrl", nextRecordsUrl);
            }
            body.put("records", records);
            return body;
        }
    }

    private record Cursor(List<Map<String, Object>> rows, String apiVersion, Instant expires) {
    }

    private final Clock clock;
    private final SalesforceIds locators = new SalesforceIds("5e0");
    /** Oldest first, so that the first entry is the one to release. */
    private final LinkedHashMap<String, Cursor> open = new LinkedHashMap<>();

    QueryCursors(Clock clock) {
        this.clock = clock;
    }

    /** The first page of a result; a cursor is opened when more pages follow. */
    synchronized Page first(List<Map<String, Object>> rows, int batchSize, String apiVersion) {
        if (rows.size() <= batchSize) {
            return new Page(rows, rows.size(), null);
        }
        String locator = locators.next("01g");
        open.put(locator, new Cursor(List.copyOf(rows), apiVersion, clock.instant().plus(LIFETIME)));
        while (open.size() > MAX_OPEN) {
            open.remove(open.keySet().iterator().next());
        }
        return page(locator, open.get(locator), 0, batchSize);
    }

    /** The page a locator ({@code <cursor>-<offset>}) points at. */
    synchronized Page next(String locator, int batchSize) {
        Matcher m = LOCATOR.matcher(locator);
        Cursor cursor = m.matches() ? open.get(m.group(1)) : null;
        if (cursor != null && !clock.instant().isBefore(cursor.expires())) {
            open.remove(m.group(1));
            cursor = null;
        }
        int offset = cursor == null ? -1 : Integer.parseInt(m.group(2));
        if (cursor == null || offset >= cursor.rows().size()) {
            throw new SimFault("INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        return page(m.group(1), cursor, offset, batchSize);
    }

    private static Page page(String locator, Cursor cursor, int offset, int batchSize) {
        int end = Math.min(cursor.rows().size(), offset + batchSize);
        String nextUrl = end == cursor.rows().size() ? null : "/services/data/v" + cursor.apiVersion() + "/query/" + locator + "-" + end;
        return new Page(cursor.rows().subList(offset, end), cursor.rows().size(), nextUrl);
    }

    /** The rows a page may hold when the client asks for {@code requested} (null: the default): Salesforce keeps it within 200..2,000. */
    static int batchSize(Integer requested) {
        return requested == null ? MAX_BATCH : Math.max(MIN_BATCH, Math.min(MAX_BATCH, requested));
    }

    /** How many cursors are open. */
    public synchronized int open() {
        return open.size();
    }

    /** Every cursor is released at once, as after their two days: their locators answer INVALID_QUERY_LOCATOR. */
    public synchronized void expireAll() {
        open.clear();
    }
}
