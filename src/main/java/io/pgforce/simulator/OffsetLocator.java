package io.pgforce.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The locators of Bulk API 2.0 results and job lists: opaque strings (base64 of the offset and
 * what the list belongs to, as Salesforce's {@code MTAwMDA}-like locators are) that point at a
 * position in one list and nowhere else, and can be asked for again as long as the list is there.
 * The URL-safe alphabet, without padding: clients put a locator into a query string as it came.
 */
final class OffsetLocator {

    private OffsetLocator() {
    }

    /** The locator of {@code offset} in the list named {@code scope} (a job's Id, for its results). */
    static String of(String scope, int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((offset + ":" + scope).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The offset a locator points at in the list named {@code scope} of {@code size} entries: past
     * the first, before the end, as only a locator this list gave out can be.
     *
     * @throws SimFault INVALID_QUERY_LOCATOR for any other string
     */
    static int offset(String scope, String locator, int size) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(locator), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        int colon = text.indexOf(':');
        if (colon < 1 || !text.substring(colon + 1).equals(scope) || !text.substring(0, colon).matches("\\d{1,9}")) {
            throw invalid();
        }
        int offset = Integer.parseInt(text.substring(0, colon));
        if (offset == 0 || offset >= size) {
            throw invalid();
        }
        return offset;
    }

    private static SimFault invalid() {
        return new SimFault("INVALID_QUERY_LOCATOR", "invalid query locator");
    }
}
