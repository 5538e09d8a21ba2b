package io.pgforce.simulator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Real-looking Salesforce Ids: a 3-character key prefix, 12 base-62 characters, and the
 * 3-character case-safe suffix that turns a 15-character Id into its 18-character form.
 */
public final class SalesforceIds {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private final AtomicLong counter = new AtomicLong();
    private final String instance;

    /** @param instance three characters that tell orgs apart in their Ids (like a pod's) */
    public SalesforceIds(String instance) {
        this.instance = instance;
    }

    public String next(String keyPrefix) {
        long n = counter.incrementAndGet();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            body.insert(0, BASE62.charAt((int) (n % 62)));
            n /= 62;
        }
        return to18(keyPrefix + instance + body);
    }

    /** How many Ids this sequence has given out. */
    long issued() {
        return counter.get();
    }

    /** Goes on as if {@code issued} Ids had been given out, so that a restored org hands out the same Ids again. */
    void continueAfter(long issued) {
        counter.set(issued);
    }

    /** Appends the case-safe suffix: for each 5-character block, a bit per upper-case letter. */
    public static String to18(String id15) {
        if (id15.length() != 15) {
            throw new IllegalArgumentException("Not a 15-character Id: " + id15);
        }
        StringBuilder id = new StringBuilder(id15);
        for (int block = 0; block < 3; block++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(block * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            id.append(SUFFIX.charAt(bits));
        }
        return id.toString();
    }

    /** Whether the text is a well-formed 15- or 18-character Id (an 18-character one must carry the right suffix). */
    public static boolean wellFormed(String id) {
        if (id == null || !(id.length() == 15 || id.length() == 18) || !id.chars().allMatch(c -> BASE62.indexOf(c) >= 0)) {
            return false;
        }
        return id.length() == 15 || to18(id.substring(0, 15)).equals(id);
    }

    /** The 18-character form of a well-formed Id. */
    public static String normalize(String id) {
        return id.length() == 15 ? to18(id) : id;
    }
}
