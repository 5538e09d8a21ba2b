package io.pgforce.simulator;

import static io.pgforce.simulator.HttpIo.xml;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The partner SOAP API at {@code /services/Soap/u/{version}}: login, create, update, upsert and
 * delete, with the session, all-or-none, assignment rule and field truncation headers, the
 * 200-record and 10-chunk limits ({@link WriteCall}), per-record results and faults in Salesforce's shapes.
 */
final class SoapEndpoint {

    static final String ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String PARTNER = "urn:partner.soap.sforce.com";
    static final String SOBJECT = "urn:sobject.partner.soap.sforce.com";
    static final String FAULT = "urn:fault.partner.soap.sforce.com";
    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    private static final DocumentBuilderFactory FACTORY = DocumentBuilderFactory.newInstance();

    static {
        FACTORY.setNamespaceAware(true);
        try {
            FACTORY.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            FACTORY.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private final SimulatorContext ctx;

    SoapEndpoint(SimulatorContext ctx) {
        this.ctx = ctx;
    }

    void handle(HttpExchange ex, String version) throws IOException {
        long start = System.nanoTime();
        if (!"POST".equals(ex.getRequestMethod())) {
            HttpIo.empty(ex, 405);
            return;
        }
        Element header;
        Element call;
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            Document doc = builder.parse(new ByteArrayInputStream(HttpIo.body(ex)));
            Element envelope = doc.getDocumentElement();
            header = child(envelope, "Header");
            Element body = child(envelope, "Body");
            call = body == null ? null : firstElement(body);
            if (call == null) {
                throw new SimFault("INVALID_OPERATION", "No operation in the SOAP body");
            }
        } catch (SAXException | ParserConfigurationException e) {
            fault(ex, new SimFault("UNKNOWN_EXCEPTION", "Unable to parse the request: " + e.getMessage()), "parse", start);
            return;
        } catch (SimFault f) {
            fault(ex, f, "parse", start);
            return;
        }
        String operation = call.getLocalName();
        try {
            if (operation.equals("login")) {
                login(ex, call, version, start);
                return;
            }
            String session = text(child(header, "SessionHeader"), "sessionId");
            if (!ctx.sessions().valid(session)) {
                throw new SimFault("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session. Session not found, missing session hash: "
                        + (session == null ? "null" : Integer.toHexString(session.hashCode())));
            }
            if (!ctx.faults().countRequest()) {
                throw new SimFault("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
            }
            write(ex, operation, header, call, start);
        } catch (SimFault f) {
            fault(ex, f, operation, start);
        }
    }

    private void login(HttpExchange ex, Element call, String version, long start) throws IOException {
        Credentials c = ctx.credentials();
        String password = text(call, "password");
        if (!c.username().equals(text(call, "username")) || password == null || !password.startsWith(c.password())) {
            throw new SimFault("INVALID_LOGIN", "Invalid username, password, security token; or user locked out.");
        }
        String session = ctx.sessions().issue();
        SimulatedOrg org = ctx.org();
        String serverUrl = ctx.instanceUrl() + "/services/Soap/u/" + version + "/" + org.orgId().substring(0, 15);
        String result = "<loginResponse><result>"
                + "<metadataServerUrl>" + xml(ctx.instanceUrl() + "/services/Soap/m/" + version + "/" + org.orgId().substring(0, 15)) + "</metadataServerUrl>"
                + "<passwordExpired>false</passwordExpired><sandbox>false</sandbox>"
                + "<serverUrl>" + xml(serverUrl) + "</serverUrl><sessionId>" + xml(session) + "</sessionId>"
                + "<userId>" + org.userId() + "</userId><userInfo>"
                + "<accessibilityMode>false</accessibilityMode><chatterExternal>false</chatterExternal><currencySymbol>$</currencySymbol>"
                + "<orgAttachmentFileSizeLimit>5242880</orgAttachmentFileSizeLimit><orgDefaultCurrencyIsoCode>USD</orgDefaultCurrencyIsoCode>"
                + "<orgDefaultCurrencyLocale>en_US</orgDefaultCurrencyLocale><orgDisallowHtmlAttachments>false</orgDisallowHtmlAttachments>"
                + "<orgHasPersonAccounts>false</orgHasPersonAccounts><organizationId>" + org.orgId() + "</organizationId>"
                + "<organizationMultiCurrency>false</organizationMultiCurrency><organizationName>pgforce simulator</organizationName>"
                + "<profileId>" + SalesforceIds.to18("00e5e000000PrFl") + "</profileId><roleId xsi:nil=\"true\"/>"
                + "<sessionSecondsValid>7200</sessionSecondsValid><userDefaultCurrencyIsoCode xsi:nil=\"true\"/>"
                + "<userEmail>" + xml(c.username()) + "</userEmail><userFullName>Integration User</userFullName>"
                + "<userId>" + org.userId() + "</userId><userLanguage>en_US</userLanguage><userLocale>en_US</userLocale>"
                + "<userName>" + xml(c.username()) + "</userName><userTimeZone>GMT</userTimeZone><userType>Standard</userType>"
                + "<userUiSkin>Theme3</userUiSkin></userInfo></result></loginResponse>";
        respond(ex, "", result);
        record("login", List.of(), 0, 0, start, "OK", Map.of());
    }

    private void write(HttpExchange ex, String operation, Element header, Element call, long start) throws IOException {
        if (!List.of("create", "update", "upsert", "delete").contains(operation)) {
            throw new SimFault("INVALID_OPERATION", "Operation " + operation + " is not supported by this org");
        }
        boolean allOrNone = "true".equals(text(child(header, "AllOrNoneHeader"), "allOrNone"));
        boolean truncate = "true".equals(text(child(header, "AllowFieldTruncationHeader"), "allowFieldTruncation"));
        Element ruleHeader = child(header, "AssignmentRuleHeader");
        String rule = ruleHeader == null ? null : "true".equals(text(ruleHeader, "useDefaultRule")) ? "default" : text(ruleHeader, "assignmentRuleId");
        WriteOptions options = new WriteOptions(truncate, rule == null || rule.isBlank() ? null : rule);

        List<WriteCall.Item> sent = new ArrayList<>();
        if (operation.equals("delete")) {
            for (Element id : children(call, "ids")) {
                sent.add(new WriteCall.Item(null, new RecordInput(id.getTextContent().trim(), null, null, null)));
            }
        } else {
            for (Element s : children(call, "sObjects")) {
                sent.add(sObject(s));
            }
        }
        String externalIdField = operation.equals("upsert") ? text(call, "externalIDFieldName") : null;
        WriteCall writeCall = new WriteCall(ctx, "SOAP", operation, externalIdField, options, allOrNone, start);
        SaveOutcome[] results;
        try {
            results = writeCall.run(sent);
        } catch (SimFault f) {
            respondFault(ex, f); // the write call logged it
            return;
        }
        Map<String, String> detail = new HashMap<>();
        if (options.assignmentRule() != null) {
            detail.put("assignmentRule", options.assignmentRule());
        }
        if (truncate) {
            detail.put("allowFieldTruncation", "true");
        }
        if (!writeCall.logAndAnswer(ex, detail)) {
            return;
        }
        StringBuilder body = new StringBuilder("<").append(operation).append("Response>");
        for (SaveOutcome r : results) {
            body.append("<result>");
            if (operation.equals("upsert")) {
                body.append("<created>").append(r.created()).append("</created>");
            }
            for (SimError e : r.errors()) {
                body.append("<errors>");
                for (String f : e.fields()) {
                    body.append("<fields>").append(xml(f)).append("</fields>");
                }
                body.append("<message>").append(xml(e.message())).append("</message><statusCode>").append(e.statusCode()).append("</statusCode></errors>");
            }
            body.append(r.id() == null ? "<id xsi:nil=\"true\"/>" : "<id>" + r.id() + "</id>");
            body.append("<success>").append(r.success()).append("</success></result>");
        }
        body.append("</").append(operation).append("Response>");
        respond(ex, limitInfo(), body.toString());
    }

    /** An sObject element: type, fieldsToNull, Id, fields, and nested parents referenced by external ID. */
    private WriteCall.Item sObject(Element s) {
        String type = null;
        String id = null;
        Map<String, String> values = new LinkedHashMap<>();
        List<String> toNull = new ArrayList<>();
        Map<String, RecordInput.ParentKey> parents = new LinkedHashMap<>();
        for (Node n = s.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) {
                continue;
            }
            String name = e.getLocalName();
            if (name.equals("type")) {
                type = e.getTextContent().trim();
            } else if (name.equals("fieldsToNull")) {
                toNull.add(e.getTextContent().trim());
            } else if (name.equals("Id")) {
                id = nil(e) ? null : e.getTextContent().trim();
            } else if (firstElement(e) != null) {
                String parentType = null;
                String field = null;
                String value = null;
                for (Node m = e.getFirstChild(); m != null; m = m.getNextSibling()) {
                    if (m instanceof Element f) {
                        if (f.getLocalName().equals("type")) {
                            parentType = f.getTextContent().trim();
                        } else {
                            field = f.getLocalName();
                            value = f.getTextContent();
                        }
                    }
                }
                if (field == null) {
                    throw new SimFault("INVALID_FIELD", "Relationship " + name + " names no external ID field");
                }
                parents.put(name, new RecordInput.ParentKey(parentType, field, value));
            } else if (nil(e)) {
                toNull.add(name);
            } else {
                values.put(name, e.getTextContent());
            }
        }
        if (type == null || type.isEmpty()) {
            throw new SimFault("INVALID_TYPE", "Must send a concrete entity type.");
        }
        ctx.org().object(type);
        return new WriteCall.Item(type, new RecordInput(id, values, toNull, parents));
    }

    private static boolean nil(Element e) {
        return "true".equals(e.getAttributeNS(XSI, "nil"));
    }

    private String limitInfo() {
        return "<LimitInfoHeader><limitInfo><current>" + ctx.faults().apiRequests() + "</current><limit>" + ctx.faults().dailyApiLimit()
                + "</limit><type>API REQUESTS</type></limitInfo></LimitInfoHeader>";
    }

    private void respond(HttpExchange ex, String headers, String body) throws IOException {
        String envelope = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + ENVELOPE + "\" xmlns=\"" + PARTNER
                + "\" xmlns:xsi=\"" + XSI + "\" xmlns:sf=\"" + SOBJECT + "\"><soapenv:Header>" + headers + "</soapenv:Header><soapenv:Body>"
                + body + "</soapenv:Body></soapenv:Envelope>";
        HttpIo.text(ex, 200, "text/xml;charset=UTF-8", envelope);
    }

    private void fault(HttpExchange ex, SimFault f, String operation, long start) throws IOException {
        respondFault(ex, f);
        record(operation, List.of(), 0, 0, start, f.code(), Map.of());
    }

    private static void respondFault(HttpExchange ex, SimFault f) throws IOException {
        String detailType = switch (f.code()) {
            case "INVALID_LOGIN" -> "LoginFault";
            case "INVALID_TYPE" -> "InvalidSObjectFault";
            case "INVALID_FIELD" -> "InvalidFieldFault";
            case "MALFORMED_ID", "INVALID_ID_FIELD" -> "InvalidIdFault";
            default -> "UnexpectedErrorFault";
        };
        boolean query = detailType.equals("InvalidSObjectFault") || detailType.equals("InvalidFieldFault");
        String envelope = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + ENVELOPE + "\" xmlns:sf=\"" + FAULT
                + "\" xmlns:xsi=\"" + XSI + "\"><soapenv:Body><soapenv:Fault><faultcode>sf:" + f.code() + "</faultcode><faultstring>"
                + xml(f.code() + ": " + f.getMessage()) + "</faultstring><detail><sf:" + detailType + " xsi:type=\"sf:" + detailType
                + "\"><sf:exceptionCode>" + f.code() + "</sf:exceptionCode><sf:exceptionMessage>" + xml(f.getMessage()) + "</sf:exceptionMessage>"
                + (query ? "<sf:row>-1</sf:row><sf:column>-1</sf:column>" : "") + "</sf:" + detailType + "></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
        HttpIo.text(ex, 500, "text/xml;charset=UTF-8", envelope);
    }

    private void record(String operation, List<String> objects, int records, int chunks, long start, String outcome, Map<String, String> detail) {
        ctx.calls().add(new CallLog.Call(java.time.Instant.now(), "SOAP", operation, objects, records, chunks,
                (System.nanoTime() - start) / 1_000_000, outcome, detail));
    }

    static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Element child(Element parent, String localName) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String localName) {
        Element e = child(parent, localName);
        return e == null ? null : e.getTextContent().trim();
    }
}
