package io.pgforce.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgforce.config.MappingException;
import io.pgforce.config.MappingSet;
import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.simulator.SimulatorClients;
import io.pgforce.simulator.SimulatorExtension;
import io.pgforce.testing.TestMappings;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The start-up check of the mappings against the org's describe, through camel-salesforce over HTTP. */
@ExtendWith(SimulatorExtension.class)
class DescribeCheckTest {

    @TempDir
    Path dir;
    CamelContext camel;

    @BeforeEach
    void camel(SalesforceSimulator sf) {
        camel = new DefaultCamelContext();
        SalesforceComponent salesforce = SimulatorClients.salesforce(sf);
        salesforce.setLazyLogin(true);
        camel.addComponent("salesforce", salesforce);
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    private OrgSchema check(String yaml) {
        MappingSet mappings = TestMappings.fromYaml(dir, yaml);
        OrgSchema org = new OrgSchema(camel.createProducerTemplate(), new SalesforceSessions(camel), mappings);
        org.ensureLoaded();
        return org;
    }

    @Test
    void aMappingTheOrgCanTakePasses() {
        OrgSchema org = check("""
                mappings:
                  - {object: Account, unique_identifier: External_Id__c, fields: {Name: text, External_Id__c: text}}
                  - object: Contact
                    fields: {LastName: text}
                    relationships: [{name: Account, external_id: External_Id__c}]
                """);
        assertThat(org.object("Account").orElseThrow().field("Name").orElseThrow().createable()).isTrue();
    }

    @Test
    void aReadOnlyFieldIsRejectedAtStartUp() {
        assertThatThrownBy(() -> check("mappings: [{object: Account, fields: {Name: text, LastActivityDate: date}}]"))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("mapping 'Account', field 'LastActivityDate': the field is read-only in Salesforce");
    }

    @Test
    void aFieldSalesforceDoesNotLetBeWrittenIsMappedReadOnly() {
        check("mappings: [{object: Account, fields: {Name: text, LastActivityDate: {type: date, direction: read_only}}}]");
        assertThatThrownBy(() -> check("mappings: [{object: Account, fields: {Name: text, LastActivityDate: date}}]"))
                .hasMessageContaining("the field is read-only in Salesforce").hasMessageContaining("direction: read_only");
    }

    @Test
    void anUnknownFieldIsRejectedAtStartUp() {
        assertThatThrownBy(() -> check("mappings: [{object: Contact, fields: {LastName: text, Emial: text}}]"))
                .hasMessageContaining("mapping 'Contact', field 'Emial': the org's Contact has no field named 'Emial'");
    }

    @Test
    void aUniqueIdentifierMustBeAnExternalId() {
        assertThatThrownBy(() -> check("mappings: [{object: Account, unique_identifier: Name, fields: {Name: text}}]"))
                .hasMessageContaining("field 'Name': the unique identifier must be an External ID field in Salesforce");
    }

    @Test
    void anUnknownRelationshipIsRejected() {
        assertThatThrownBy(() -> check("mappings: [{object: Contact, fields: {LastName: text}, relationships: [{name: Owner, object: User, external_id: X__c}]}]"))
                .hasMessageContaining("has no relationship named 'Owner'");
    }

    @Test
    void anUnknownObjectIsRejected() {
        assertThatThrownBy(() -> check("mappings: [{object: Invoice, fields: {Name: text}}]"))
                .hasMessageContaining("mapping 'Invoice': the org has no object named 'Invoice'");
    }

    @Test
    void anUnreachableOrgIsNotAUserError(SalesforceSimulator sf) {
        sf.faults().unavailable(io.pgforce.simulator.Faults.Unavailable.HTTP_503);
        assertThatThrownBy(() -> check("mappings: [{object: Account, fields: {Name: text}}]")).isInstanceOf(SalesforceUnavailableException.class);
    }
}
