package io.pgforce.salesforce;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import javax.xml.namespace.QName;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.transport.http.HTTPException;

/**
 * What a Salesforce failure means, decided in this one place so that the SOAP and Bulk routes,
 * the describe check and the login cannot disagree about which failures wait and which fail
 * records. Each caller still decides what it does with a kind (Bulk hands anything that does not
 * wait to SOAP, which reports each record's exact result).
 */
public final class SalesforceFailures {

    public enum Kind {
        /**
         * Salesforce cannot take writes now (maintenance, 5xx, no connection, the API request
         * limit, a lost response, a timeout), or no Bulk job now (the org's Bulk jobs of the last
         * 24 hours used up, ExceededQuota: jobs can be created again as the day's first ones age
         * out): nothing is wrong with the records or the query, the batch or the read waits and
         * goes again.
         */
        WAIT,
        /**
         * Salesforce refuses pgforce's login, or its session even after a fresh login: the batch
         * waits too, in the connection state UNAUTHORIZED, since only the operator can cure it.
         */
        CREDENTIALS_REFUSED,
        /** Salesforce refused these records (a validation rule, UNABLE_TO_LOCK_ROW, a fault of the whole call that is no outage): handled per record. */
        RECORDS_FAILED,
        /** Neither an outage nor an answer about the records: nothing says waiting would help. */
        UNEXPECTED
    }

    /** The org's daily API requests are used up: REST answers it with 403, SOAP with a fault. */
    private static final String LIMIT_EXCEEDED = "REQUEST_LIMIT_EXCEEDED";
    /** Codes that say "not now" rather than "not these records", as a fault of a call or as a record's error. */
    private static final Set<String> OUTAGE_CODES = Set.of("INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE",
            LIMIT_EXCEEDED, "SERVER_UNAVAILABLE");
    /** A record's error only: the record went down with its call (another record's outage), so it says nothing against it. */
    private static final String ROLLED_BACK = "ALL_OR_NONE_OPERATION_ROLLED_BACK";
    /** A fault only: the session is refused. SOAP renews it first, since it may only have expired. */
    private static final String SESSION_REFUSED = "INVALID_SESSION_ID";
    /** A Bulk API 2.0 job's creation refused over the org's daily quota of jobs (query or ingest). */
    private static final String QUOTA_EXCEEDED = "EXCEEDED_QUOTA";

    private SalesforceFailures() {
    }

    /**
     * A call that failed, over SOAP (camel-cxf) or Bulk/REST (camel-salesforce). camel-salesforce
     * logs in again itself on a 401, so a 401 that reaches here is a refusal. The exceptions
     * pgforce raised itself keep the kind they were raised with.
     */
    public static Kind classify(Throwable failure) {
        if (failure instanceof SalesforceUnauthorizedException) {
            return Kind.CREDENTIALS_REFUSED;
        }
        if (failure instanceof SalesforceUnavailableException) {
            return Kind.WAIT;
        }
        SalesforceException sf = salesforceException(failure);
        if (sf != null) {
            return classifyStatus(sf);
        }
        String code = faultCode(failure);
        if (code != null) {
            return SESSION_REFUSED.equals(code) ? Kind.CREDENTIALS_REFUSED : OUTAGE_CODES.contains(code) ? Kind.WAIT : Kind.RECORDS_FAILED;
        }
        return noAnswer(failure) ? Kind.WAIT : Kind.UNEXPECTED;
    }

    /**
     * A camel-salesforce call failed ({@code api} names it for the log): throws when the failure
     * means wait, or that Salesforce refuses the session; a wait pgforce raised itself goes on as
     * it is. Returns otherwise.
     */
    public static void waitIfUnavailable(Exception e, String api) {
        if (e instanceof SalesforceUnavailableException unavailable) {
            throw unavailable;
        }
        switch (classify(e)) {
            case CREDENTIALS_REFUSED -> throw new SalesforceUnauthorizedException("Salesforce refuses pgforce's session: " + e.getMessage(), e);
            case WAIT -> throw waiting(api + " is unavailable: " + e.getMessage(), e);
            case RECORDS_FAILED, UNEXPECTED -> { }
        }
    }

    /**
     * The exception that makes a batch or a read wait for a failure of kind {@link Kind#WAIT}: the
     * spent API allocation waits in a state of its own, since nothing is down.
     */
    public static SalesforceUnavailableException waiting(String message, Throwable failure) {
        return allocationSpent(failure)
                ? new ApiAllocationSpentException(message + " (REQUEST_LIMIT_EXCEEDED: the org's daily API requests are used up)", failure)
                : new SalesforceUnavailableException(message, failure);
    }

    /** Salesforce refused the call because the org's daily API requests are used up (REST's 403 or SOAP's fault). */
    public static boolean allocationSpent(Throwable failure) {
        SalesforceException sf = salesforceException(failure);
        return sf != null ? sf.getStatusCode() == 403 && hasError(sf, LIMIT_EXCEEDED) : LIMIT_EXCEEDED.equals(faultCode(failure));
    }

    /** A record's error in a call's results: waits only for an outage; anything else is that record's own. */
    public static Kind classify(RecordError error) {
        String code = error.statusCode();
        return OUTAGE_CODES.contains(code) || ROLLED_BACK.equals(code) ? Kind.WAIT : Kind.RECORDS_FAILED;
    }

    /**
     * A login Salesforce refused. The token endpoint answers refused credentials with 400 (e.g.
     * invalid_grant) or 401; any other failure to log in means it cannot be asked now.
     */
    public static Kind classifyLogin(SalesforceException refused) {
        int status = refused.getStatusCode();
        return status == 400 || status == 401 ? Kind.CREDENTIALS_REFUSED : Kind.WAIT;
    }

    /** Salesforce does not know what was asked for (404 or NOT_FOUND): an answer, not a failure, so not a kind. */
    public static boolean notFound(Throwable failure) {
        SalesforceException sf = salesforceException(failure);
        return sf != null && (sf.getStatusCode() == 404 || hasError(sf, "NOT_FOUND"));
    }

    /**
     * The org's Bulk API 2.0 jobs of the last 24 hours are used up (a job's creation refused with
     * ExceededQuota): a {@link Kind#WAIT}, which a log line may name as such.
     */
    public static boolean quotaExceeded(Throwable failure) {
        return answeredWith(failure, QUOTA_EXCEEDED);
    }

    /**
     * Whether Salesforce answered (over Bulk or REST) with this error code, in either of its
     * spellings: Bulk API 2.0 writes its codes in camel case (ExceededQuota, InvalidLocator), REST
     * and the simulator in capitals with or without underscores (INVALID_QUERY_LOCATOR, EXCEEDEDQUOTA).
     */
    public static boolean answeredWith(Throwable failure, String code) {
        SalesforceException sf = salesforceException(failure);
        String wanted = spelledPlainly(code);
        return sf != null && sf.getErrors() != null
                && sf.getErrors().stream().anyMatch(e -> e.getErrorCode() != null && spelledPlainly(e.getErrorCode()).equals(wanted));
    }

    private static String spelledPlainly(String code) {
        return code.replace("_", "").toUpperCase(Locale.ROOT);
    }

    /**
     * Status 0 is camel-salesforce's "no HTTP answer"; a 403 is an outage only when it is the API
     * request limit; a job over the daily quota (400) waits for it.
     */
    private static Kind classifyStatus(SalesforceException sf) {
        int status = sf.getStatusCode();
        if (status == 401) {
            return Kind.CREDENTIALS_REFUSED;
        }
        if (quotaExceeded(sf)) {
            return Kind.WAIT;
        }
        boolean wait = status == 0 || status >= 500 || status == 429 || status == 403 && hasError(sf, LIMIT_EXCEEDED);
        return wait ? Kind.WAIT : Kind.UNEXPECTED;
    }

    private static boolean hasError(SalesforceException sf, String code) {
        return sf.getErrors() != null && sf.getErrors().stream().anyMatch(r -> code.equals(r.getErrorCode()));
    }

    private static SalesforceException salesforceException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SalesforceException sf) {
                return sf;
            }
        }
        return null;
    }

    /**
     * No answer at all: the connection failed, the response was lost or timed out, or the server
     * answered 5xx without a fault. (A value the XML writer would refuse never gets here:
     * RecordMapper.refusal fails its record first. The writer's failure looks like a lost
     * response's, an IOException from Woodstox, so it cannot be told apart here.)
     */
    private static boolean noAnswer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HTTPException http) {
                return http.getResponseCode() >= 500;
            }
            if (t instanceof IOException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The partner API's fault code (its local name, e.g. {@code INVALID_FIELD}), or null. A fault
     * in the SOAP namespace (e.g. {@code soapenv:Server}) may still carry it before the message's colon.
     */
    static String faultCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SoapFault fault && fault.getFaultCode() != null) {
                QName q = fault.getFaultCode();
                if (PartnerNamespaces.FAULT.equals(q.getNamespaceURI()) || !q.getNamespaceURI().startsWith("http://schemas.xmlsoap.org")) {
                    return q.getLocalPart();
                }
                String text = fault.getMessage();
                int colon = text == null ? -1 : text.indexOf(':');
                return colon > 0 && text.substring(0, colon).matches("[A-Z_]+") ? text.substring(0, colon) : null;
            }
        }
        return null;
    }
}
