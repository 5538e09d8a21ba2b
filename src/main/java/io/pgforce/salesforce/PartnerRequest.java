package io.pgforce.salesforce;

import static io.pgforce.salesforce.PartnerNamespaces.PARTNER;
import static io.pgforce.salesforce.PartnerNamespaces.SOBJECT;

import io.pgforce.plan.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Builds the body and headers of a partner API call as DOM elements: {@code create},
 * {@code update}, {@code upsert} or {@code delete} holding the records in order.
 */
final class PartnerRequest {

    private static final DocumentBuilderFactory FACTORY = DocumentBuilderFactory.newInstance();

    static {
        FACTORY.setNamespaceAware(true);
    }

    private final Document doc;

    PartnerRequest() {
        try {
            this.doc = FACTORY.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String operationName(Operation operation) {
        return switch (operation) {
            case CREATE -> "create";
            case UPDATE -> "update";
            case UPSERT -> "upsert";
            case DELETE -> "delete";
        };
    }

    Element body(Operation operation, String externalIdField, List<SObjectData> records) {
        Element call = doc.createElementNS(PARTNER, operationName(operation));
        if (operation == Operation.DELETE) {
            for (SObjectData r : records) {
                text(call, PARTNER, "ids", r.id());
            }
            return call;
        }
        if (operation == Operation.UPSERT) {
            text(call, PARTNER, "externalIDFieldName", externalIdField);
        }
        for (SObjectData r : records) {
            call.appendChild(sObject(r));
        }
        return call;
    }

    private Element sObject(SObjectData r) {
        Element s = doc.createElementNS(PARTNER, "sObjects");
        text(s, SOBJECT, "type", r.type());
        for (String field : r.fieldsToNull()) {
            text(s, SOBJECT, "fieldsToNull", field);
        }
        if (r.id() != null) {
            text(s, SOBJECT, "Id", r.id());
        }
        for (Map.Entry<String, String> f : r.fields().entrySet()) {
            text(s, SOBJECT, f.getKey(), f.getValue());
        }
        for (ParentReference p : r.parents()) {
            // a parent by external ID: an element named after the relationship, holding type and the key
            Element parent = doc.createElementNS(SOBJECT, p.relationshipName());
            text(parent, SOBJECT, "type", p.parentObject());
            text(parent, SOBJECT, p.externalIdField(), p.value());
            s.appendChild(parent);
        }
        return s;
    }

    /** The request headers: the session, never all-or-none, and the options the call needs. */
    List<Element> headers(String sessionId, AssignmentRule assignmentRule, boolean allowFieldTruncation) {
        List<Element> headers = new ArrayList<>();
        Element session = doc.createElementNS(PARTNER, "SessionHeader");
        text(session, PARTNER, "sessionId", sessionId);
        headers.add(session);
        Element allOrNone = doc.createElementNS(PARTNER, "AllOrNoneHeader");
        text(allOrNone, PARTNER, "allOrNone", "false");
        headers.add(allOrNone);
        if (assignmentRule != null) {
            Element rule = doc.createElementNS(PARTNER, "AssignmentRuleHeader");
            if (assignmentRule.useDefault()) {
                text(rule, PARTNER, "useDefaultRule", "true");
            } else {
                text(rule, PARTNER, "assignmentRuleId", assignmentRule.ruleId());
            }
            headers.add(rule);
        }
        if (allowFieldTruncation) {
            Element truncation = doc.createElementNS(PARTNER, "AllowFieldTruncationHeader");
            text(truncation, PARTNER, "allowFieldTruncation", "true");
            headers.add(truncation);
        }
        return headers;
    }

    private void text(Element parent, String ns, String name, String value) {
        Element e = doc.createElementNS(ns, name);
        e.setTextContent(value);
        parent.appendChild(e);
    }
}
