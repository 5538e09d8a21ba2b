package io.pgforce.salesforce;

import io.pgforce.config.ApiSettings;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.dto.Limits;
import org.apache.cxf.binding.soap.SoapHeader;
import org.jboss.logging.Logger;
import org.w3c.dom.Element;

/**
 * The org's daily API request allocation as pgforce last heard of it, and whether pgforce may make
 * more calls: not once the org's usage (every integration's, pgforce's calls count) has reached
 * {@code pgforce.api.max-share} of it. Salesforce says where the org stands on every answer:
 * LimitInfoHeader on SOAP, {@code Sforce-Limit-Info: api-usage=N/M} on REST and Bulk API 2.0; the
 * routes hand those here. With no reading yet, or past the share with a reading older than
 * {@code pgforce.api.recheck-interval}, /limits is asked: the usage falls as the org's rolling 24
 * hours pass, and no call of pgforce's would bring the news while it waits. A call Salesforce
 * refused over the allocation (REQUEST_LIMIT_EXCEEDED) says it is used up, whatever the last
 * reading said, until a reading since shows room.
 */
@ApplicationScoped
@Unremovable
@Named("apiAllocation")
public class ApiAllocation {

    private static final Logger LOG = Logger.getLogger(ApiAllocation.class);
    public static final String LIMIT_INFO = "Sforce-Limit-Info";
    private static final Pattern API_USAGE = Pattern.compile("(?<![\\w-])api-usage=(\\d+)/(\\d+)");

    /** The org's daily API requests: used in the last 24 hours, and its allocation. */
    public record Usage(long used, long max) {

        /** The usage a REST answer's {@code Sforce-Limit-Info} header gives. */
        static Optional<Usage> fromLimitInfo(String header) {
            Matcher m = header == null ? null : API_USAGE.matcher(header);
            return m != null && m.find() ? Optional.of(new Usage(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)))) : Optional.empty();
        }

        /** The usage a SOAP answer's LimitInfoHeader gives ({@code limitInfo} of type API REQUESTS). */
        static Optional<Usage> fromSoapHeaders(List<SoapHeader> headers) {
            for (SoapHeader h : headers == null ? List.<SoapHeader>of() : headers) {
                if (h.getObject() instanceof Element e && "LimitInfoHeader".equals(e.getLocalName())) {
                    for (Element info : PartnerResults.children(e, "limitInfo")) {
                        if ("API REQUESTS".equals(text(info, "type"))) {
                            return Optional.of(new Usage(Long.parseLong(text(info, "current")), Long.parseLong(text(info, "limit"))));
                        }
                    }
                }
            }
            return Optional.empty();
        }

        private static String text(Element parent, String name) {
            String text = PartnerResults.childText(parent, name);
            return text == null ? null : text.strip();
        }

        /** The usage at which pgforce stops: the share of the allocation, in whole requests. */
        long stopAt(double maxShare) {
            return (long) Math.floor(maxShare * max);
        }
    }

    private final double maxShare;
    private final long recheckMillis;
    private final Clock clock;
    private final Supplier<Optional<Usage>> limits;
    private Usage usage;
    /** When Salesforce last said, or /limits was last asked: /limits is asked at most once a recheck interval. */
    private long heardAt;
    private boolean asked;
    /** Salesforce refused a call over the allocation and no reading came since. */
    private boolean refused;

    @Inject
    ApiAllocation(ApiSettings settings, ProducerTemplate producer) {
        this(settings.maxShare(), settings.recheckInterval(), Clock.systemUTC(), () -> limits(producer));
    }

    ApiAllocation(double maxShare, Duration recheckInterval, Clock clock, Supplier<Optional<Usage>> limits) {
        this.maxShare = maxShare;
        this.recheckMillis = recheckInterval.toMillis();
        this.clock = clock;
        this.limits = limits;
    }

    /** The last reading, if any. */
    public synchronized Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    public double maxShare() {
        return maxShare;
    }

    /** A route step after a REST or Bulk call: its answer's {@code Sforce-Limit-Info}, if it has one. */
    public void answered(@Header(LIMIT_INFO) String limitInfo) {
        Usage.fromLimitInfo(limitInfo).ifPresent(this::heard);
    }

    /** A SOAP answer's headers. */
    void answered(List<SoapHeader> soapHeaders) {
        Usage.fromSoapHeaders(soapHeaders).ifPresent(this::heard);
    }

    private synchronized void heard(Usage latest) {
        usage = latest;
        heardAt = clock.millis();
        asked = true;
        refused = false;
    }

    /**
     * Salesforce refused a call because the org's daily API requests are used up: pgforce waits as
     * past the share (the last reading, if any, now counts as all used) until a reading shows room.
     */
    public synchronized void refused() {
        refused = true;
        if (usage != null) {
            usage = new Usage(Math.max(usage.used(), usage.max()), usage.max());
        }
    }

    /**
     * A route step before a write call: while Salesforce's refusal stands (no reading since shows
     * room), the call is not made and the batch waits for the allocation.
     */
    public void holdWhileRefused() {
        if (!allowsCalls() && refusalStands()) {
            throw new ApiAllocationSpentException(waiting());
        }
    }

    private synchronized boolean refusalStands() {
        return refused;
    }

    /**
     * Whether pgforce may make more calls now: the org's usage is under the share. With no reading,
     * or past the share, /limits is asked first when nothing was heard for a recheck interval; if
     * it cannot be, the last reading stands (none: calls go, and Salesforce's answer decides).
     */
    public boolean allowsCalls() {
        if ((usage().isEmpty() || spent()) && timeToAsk()) {
            refresh();
        }
        return !spent();
    }

    private synchronized boolean spent() {
        return refused || usage != null && past(usage);
    }

    private synchronized boolean timeToAsk() {
        long now = clock.millis();
        if (asked && now - heardAt < recheckMillis) {
            return false;
        }
        asked = true;
        heardAt = now;
        return true;
    }

    private boolean past(Usage u) {
        return u.max() > 0 && u.used() >= u.stopAt(maxShare);
    }

    private void refresh() {
        try {
            limits.get().ifPresent(this::heard);
        } catch (RuntimeException e) {
            LOG.debugf("The org's API usage could not be read from /limits: %s", e.getMessage());
        }
    }

    /** Why pgforce waits, for the connection's state. */
    public synchronized String waiting() {
        if (refused) {
            return "Salesforce refused a call: the org's daily API requests are used up (REQUEST_LIMIT_EXCEEDED"
                    + (usage == null ? "" : ", " + usage.max() + " a day") + "); nothing is sent or read until /limits shows room (asked every "
                    + Duration.ofMillis(recheckMillis).toSeconds() + " s)";
        }
        Usage u = usage;
        return "the org has used " + u.used() + " of " + u.max() + " daily API requests, at or past pgforce.api.max-share=" + maxShare + " ("
                + u.stopAt(maxShare) + "); nothing is sent or read until its usage falls under it (asked every "
                + Duration.ofMillis(recheckMillis).toSeconds() + " s)";
    }

    private static Optional<Usage> limits(ProducerTemplate producer) {
        Exchange done = producer.request("salesforce:limits", e -> { });
        if (done.getException() != null) {
            throw new IllegalStateException(done.getException().getMessage(), done.getException());
        }
        Limits.Usage daily = done.getMessage().getBody(Limits.class).getDailyApiRequests();
        return daily == null || daily.isUnknown() ? Optional.empty() : Optional.of(new Usage(daily.getMax() - daily.getRemaining(), daily.getMax()));
    }
}
