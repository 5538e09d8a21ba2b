package io.pgforce.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.plan.Operation;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The partner API messages pgforce builds and reads, as XML. */
class PartnerMessagesTest {

    private static String xml(Element e) throws Exception {
        var t = TransformerFactory.newInstance().newTransformer();
        t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        StringWriter out = new StringWriter();
        t.transform(new DOMSource(e), new StreamResult(out));
        return out.toString();
    }

    @Test
    void anUpsertCarriesTheKeyFieldsNullsAndParentReferences() throws Exception {
        SObjectData contact = new SObjectData("Contact", null, Map.of("LastName", "Doe"), List.of("Email"),
                List.of(new ParentReference("Account", "Account", "External_Id__c", "A-1")));
        String xml = xml(new PartnerRequest().body(Operation.UPSERT, "External_Id__c", List.of(contact)));

        assertThat(xml).isEqualTo("<upsert xmlns=\"urn:partner.soap.sforce.com\"><externalIDFieldName>External_Id__c</externalIDFieldName>"
                + "<sObjects><type xmlns=\"urn:sobject.partner.soap.sforce.com\">Contact</type>"
                + "<fieldsToNull xmlns=\"urn:sobject.partner.soap.sforce.com\">Email</fieldsToNull>"
                + "<LastName xmlns=\"urn:sobject.partner.soap.sforce.com\">Doe</LastName>"
                + "<Account xmlns=\"urn:sobject.partner.soap.sforce.com\"><type>Account</type><External_Id__c>A-1</External_Id__c></Account>"
                + "</sObjects></upsert>");
    }

    @Test
    void aDeleteCarriesIds() throws Exception {
        SObjectData a = new SObjectData("Account", "001000000000001AAA", Map.of(), List.of(), List.of());
        assertThat(xml(new PartnerRequest().body(Operation.DELETE, null, List.of(a))))
                .isEqualTo("<delete xmlns=\"urn:partner.soap.sforce.com\"><ids>001000000000001AAA</ids></delete>");
    }

    @Test
    void headersCarryTheSessionAndTheAssignmentRuleWhenAsked() throws Exception {
        PartnerRequest request = new PartnerRequest();
        List<Element> plain = request.headers("TOKEN", null, false);
        assertThat(plain).extracting(Element::getLocalName).containsExactly("SessionHeader", "AllOrNoneHeader");
        assertThat(xml(plain.get(0))).isEqualTo("<SessionHeader xmlns=\"urn:partner.soap.sforce.com\"><sessionId>TOKEN</sessionId></SessionHeader>");

        List<Element> withRule = request.headers("TOKEN", AssignmentRule.of("default"), true);
        assertThat(withRule).extracting(Element::getLocalName).containsExactly("SessionHeader", "AllOrNoneHeader", "AssignmentRuleHeader", "AllowFieldTruncationHeader");
        assertThat(xml(withRule.get(2))).contains("<useDefaultRule>true</useDefaultRule>");
        assertThat(xml(request.headers("T", AssignmentRule.of("01Q5e000000AbCdEAK"), false).get(2))).contains("<assignmentRuleId>01Q5e000000AbCdEAK</assignmentRuleId>");
    }

    @Test
    void resultsAreReadInCallOrder() throws Exception {
        String response = "<upsertResponse xmlns=\"urn:partner.soap.sforce.com\">"
                + "<result><created>true</created><id>001000000000001AAA</id><success>true</success></result>"
                + "<result><created>false</created><errors><fields>Name</fields><message>Required fields are missing: [Name]</message>"
                + "<statusCode>REQUIRED_FIELD_MISSING</statusCode></errors><id xsi:nil=\"true\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/>"
                + "<success>false</success></result></upsertResponse>";
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Element root = f.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(response))).getDocumentElement();

        List<RecordResult> results = PartnerResults.read(root);

        assertThat(results).containsExactly(RecordResult.ok("001000000000001AAA", true),
                new RecordResult(false, null, false, List.of(RecordError.fromSalesforce("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", List.of("Name")))));
    }

    @Test
    void valuesTravelAsPlainText() {
        assertThat(RecordMapper.wireText(12.0, "double")).isEqualTo("12");
        assertThat(RecordMapper.wireText(1.5e20, "double")).isEqualTo("150000000000000000000");
        assertThat(RecordMapper.wireText(0.1, "currency")).isEqualTo("0.1");
        assertThat(RecordMapper.wireText(true, "boolean")).isEqualTo("true");
        assertThat(RecordMapper.wireText("2024-05-01T10:15:00", "datetime")).isEqualTo("2024-05-01T10:15:00Z");
        assertThat(RecordMapper.wireText("2024-05-01T10:15:00+02:00", "datetime")).isEqualTo("2024-05-01T10:15:00+02:00");
        assertThat(RecordMapper.wireText("2024-05-01", "date")).isEqualTo("2024-05-01");
    }
}
