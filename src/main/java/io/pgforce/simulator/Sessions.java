package io.pgforce.simulator;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Access tokens, valid for OAuth and as SOAP session ids alike, with an expiry. */
public final class Sessions {

    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private volatile Duration ttl;
    private final String orgId15;

    Sessions(Clock clock, Duration ttl, String orgId) {
        this.clock = clock;
        this.ttl = ttl;
        this.orgId15 = orgId.substring(0, 15);
    }

    /** A token shaped like Salesforce's: the org Id, '!', then an opaque part. */
    String issue() {
        byte[] bytes = new byte[48];
        random.nextBytes(bytes);
        String token = orgId15 + "!" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiries.put(token, clock.instant().plus(ttl));
        return token;
    }

    boolean valid(String token) {
        if (token == null) {
            return false;
        }
        Instant expiry = expiries.get(token);
        return expiry != null && clock.instant().isBefore(expiry);
    }

    void revoke(String token) {
        if (token != null) {
            expiries.remove(token);
        }
    }

    /** Every issued token stops working at once, as after a password change or a security policy. */
    public void expireAll() {
        expiries.clear();
    }

    public void ttl(Duration ttl) {
        this.ttl = ttl;
    }

    public int active() {
        return (int) expiries.values().stream().filter(e -> clock.instant().isBefore(e)).count();
    }
}
