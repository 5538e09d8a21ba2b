package io.pgforce.salesforce;

/** The partner API's XML namespaces. */
final class PartnerNamespaces {

    static final String PARTNER = "urn:partner.soap.sforce.com";
    static final String SOBJECT = "urn:sobject.partner.soap.sforce.com";
    static final String FAULT = "urn:fault.partner.soap.sforce.com";

    private PartnerNamespaces() {
    }
}
