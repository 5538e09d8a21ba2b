package io.pgforce.salesforce;

import io.pgforce.route.PgforceConstants;
import io.pgforce.config.Backoff;
import io.pgforce.config.ConnectionSettings;
import io.pgforce.config.MappingSet;
import io.pgforce.config.RetrySettings;
import io.pgforce.plan.Operation;
import io.pgforce.plan.PlanRules;
import io.pgforce.plan.WriteItem;
import io.pgforce.salesforce.SalesforceFailures.Kind;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.namespace.QName;
import org.apache.camel.Exchange;
import org.apache.camel.component.cxf.common.CxfPayload;
import org.apache.camel.component.cxf.common.message.CxfConstants;
import org.apache.cxf.binding.soap.SoapHeader;
import org.apache.cxf.transport.http.HTTPException;
import org.jboss.logging.Logger;
import org.w3c.dom.Element;

/**
 * The steps of the SOAP route around the camel-cxf call (PAYLOAD mode): build the partner API
 * request for the records still pending, read the per-record results, and act on what a failure
 * means ({@link SalesforceFailures}): renew the session, wait, or fail the call's records.
 */
@ApplicationScoped
@Unremovable
@Named("partnerSoap")
public class PartnerSoap {

    private static final Logger LOG = Logger.getLogger(PartnerSoap.class);

    private static final String DELETED = "ENTITY_IS_DELETED";

    private final RecordMapper mapper;
    private final SalesforceSessions sessions;
    private final ConnectionSettings connection;
    private final RecordRetries recordRetries;
    private final Backoff recordBackoff;
    private final boolean allowFieldTruncation;
    private final ApiAllocation allocation;

    @Inject
    PartnerSoap(RecordMapper mapper, SalesforceSessions sessions, MappingSet mappings,
                RetrySettings retry, SoapSettings soap, ApiAllocation allocation) {
        this.allocation = allocation;
        this.mapper = mapper;
        this.sessions = sessions;
        this.connection = mappings.connection();
        this.recordRetries = RecordRetries.of(retry);
        this.recordBackoff = retry.recordBackoff();
        this.allowFieldTruncation = soap.allowFieldTruncation();
    }

    /** Body: BatchProgress. Becomes the CxfPayload of one call holding every pending record. */
    public void request(Exchange exchange) {
        BatchProgress progress = exchange.getMessage().getBody(BatchProgress.class);
        List<WriteItem> pending = progress.pending();
        // a Bulk job's leftovers can be many more than one call may carry
        List<WriteItem> items = pending.size() > PlanRules.SOAP_MAX_RECORDS ? pending.subList(0, PlanRules.SOAP_MAX_RECORDS) : pending;
        List<SObjectData> records = new ArrayList<>(items.size());
        for (WriteItem item : items) {
            records.add(mapper.map(item));
        }
        PartnerRequest request = new PartnerRequest();
        String token = sessions.accessToken();
        List<SoapHeader> headers = new ArrayList<>();
        for (Element h : request.headers(token, assignmentRule(progress.operation(), records), allowFieldTruncation)) {
            headers.add(new SoapHeader(new QName(h.getNamespaceURI(), h.getLocalName()), h));
        }
        List<Element> body = List.of(request.body(progress.operation(), progress.externalIdField(), records));
        exchange.setProperty(PgforceConstants.SOAP_SENT, items);
        exchange.setProperty(PgforceConstants.SOAP_TOKEN, token);
        exchange.getMessage().setHeader(CxfConstants.OPERATION_NAME, PartnerRequest.operationName(progress.operation()));
        exchange.getMessage().setHeader(CxfConstants.OPERATION_NAMESPACE, PartnerNamespaces.PARTNER);
        exchange.getMessage().setHeader(Exchange.DESTINATION_OVERRIDE_URL, sessions.instanceUrl() + "/services/Soap/u/" + connection.apiVersion());
        exchange.getMessage().setBody(new CxfPayload<SoapHeader>(headers, body));
    }

    /** Before a pass: how long to wait, growing with the attempts, when records wait after a transient error (0 otherwise). */
    public long retryDelay(Exchange exchange) {
        int attempts = exchange.getProperty(PgforceConstants.PROGRESS, BatchProgress.class).transientAttempts();
        return attempts == 0 ? 0 : recordBackoff.delayMillis(attempts - 1);
    }

    /** Assignment rules run on inserted Leads and Cases only, and only when the connection asks for them. */
    private AssignmentRule assignmentRule(Operation operation, List<SObjectData> records) {
        if (!operation.isInsert() || records.isEmpty()) {
            return null;
        }
        String type = records.get(0).type();
        boolean single = records.stream().allMatch(r -> r.type().equals(type));
        String setting = connection.assignmentRules().get(type);
        return single && setting != null ? AssignmentRule.of(setting) : null;
    }

    /** Body: the response CxfPayload. Settles each sent record; becomes the BatchProgress again. */
    @SuppressWarnings("unchecked")
    public void results(Exchange exchange) {
        BatchProgress progress = exchange.getProperty(PgforceConstants.PROGRESS, BatchProgress.class);
        List<WriteItem> sent = exchange.getProperty(PgforceConstants.SOAP_SENT, List.class);
        CxfPayload<SoapHeader> payload = exchange.getMessage().getBody(CxfPayload.class);
        allocation.answered(payload.getHeaders());
        List<RecordResult> results = PartnerResults.read(payload.getBody().get(0));
        if (results.size() != sent.size()) {
            throw new IllegalStateException("Salesforce answered " + results.size() + " results for " + sent.size() + " records");
        }
        String unavailable = null;
        for (int i = 0; i < sent.size(); i++) {
            WriteItem item = sent.get(i);
            RecordResult r = results.get(i);
            if (r.success()) {
                progress.succeeded(item, r.id());
                continue;
            }
            String code = r.firstError().statusCode();
            if (DELETED.equals(code) && progress.operation() == Operation.DELETE) {
                // a delete sent again after its answer was lost: the record is gone, which is what it asked for
                progress.succeeded(item, item.sfid());
            } else if (SalesforceFailures.classify(r.firstError()) == Kind.WAIT) {
                unavailable = r.firstError().describe();
            } else if (recordRetries.sendAgain(progress, item, r.firstError())) {
                LOG.debugf("%s on %s row %d: sending it again", code, item.object(), item.recordId());
            } else {
                progress.failed(item, r.firstError());
            }
        }
        if (unavailable != null && progress.isPendingSend()) {
            progress.unavailable(unavailable);
        }
        exchange.getMessage().setBody(progress);
    }

    /**
     * A call that did not return results: decide what it means for the records in it. An expired
     * session is renewed; transport failures, 5xx answers and Salesforce's "not now" faults mean
     * wait (the batch is retried with back-off); any other fault, or an answer pgforce cannot
     * read, fails the call's records with its message (resubmittable) instead of blocking every
     * later change.
     */
    public void failure(Exchange exchange) {
        BatchProgress progress = exchange.getProperty(PgforceConstants.PROGRESS, BatchProgress.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.getMessage().setBody(progress);
        if (e instanceof SalesforceUnavailableException unavailable) {
            throw unavailable; // no session could be had: nothing was sent
        }
        Kind kind = SalesforceFailures.classify(e);
        if (kind == Kind.CREDENTIALS_REFUSED) {
            // camel-cxf does not log in again by itself, and the session may only have expired: two fresh ones are tried first
            if (progress.renewedSession() > 2) {
                throw new SalesforceUnauthorizedException("Salesforce keeps rejecting renewed sessions", e);
            }
            LOG.info("Salesforce session expired: logging in again");
            sessions.renew(exchange.getProperty(PgforceConstants.SOAP_TOKEN, String.class));
            return;
        }
        if (kind == Kind.WAIT) {
            throw SalesforceFailures.waiting("Salesforce is unavailable: " + describe(e), e);
        }
        String code = SalesforceFailures.faultCode(e);
        RecordError error = kind == Kind.RECORDS_FAILED ? RecordError.fromSalesforce(code, stripCode(code, e.getMessage()), List.of())
                : RecordError.fromPgforce("UNEXPECTED_RESPONSE", "The call failed without an answer pgforce understands: " + describe(e));
        LOG.warnf("A %s call of %d %s record(s) failed as a whole: %s", progress.operation(), progress.pending().size(),
                progress.pending().get(0).object(), error.describe());
        progress.failAll(error);
    }

    private static String stripCode(String code, String message) {
        return message != null && message.startsWith(code + ":") ? message.substring(code.length() + 1).trim() : message;
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HTTPException || t instanceof ConnectException || t instanceof SocketException) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return e == null ? "no response" : e.getMessage();
    }
}
