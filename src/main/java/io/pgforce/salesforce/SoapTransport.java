package io.pgforce.salesforce;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.component.cxf.jaxws.CxfConfigurer;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.frontend.AbstractWSDLBasedEndpointFactory;
import org.apache.cxf.transport.http.HTTPConduitFactory;
import org.apache.cxf.transport.http.URLConnectionHTTPConduit;

/**
 * The HTTP client of the SOAP route's endpoint (its {@code cxfConfigurer}): a lane sends its call
 * and reads the answer on its own thread (CXF's URLConnection conduit). CXF's default client
 * (java.net.http) takes a message over 4 KB through a 4 KB pipe to its own threads and the answer
 * back: with the lane, the write-back and PostgreSQL on two cores, those hand-overs cost a 200-record
 * call 25 ms at the zero profile where the call took 7.5 (docs/benchmarks.md, "Where a drain's time
 * goes"). Quarkus CXF's {@code quarkus.cxf.http-conduit-factory} does not reach Camel's endpoint.
 */
@ApplicationScoped
@Unremovable
@Named("soapTransport")
public class SoapTransport implements CxfConfigurer {

    private static final HTTPConduitFactory URL_CONNECTION = (transport, bus, endpoint, target) -> new URLConnectionHTTPConduit(bus, endpoint, target);

    @Override
    public void configure(AbstractWSDLBasedEndpointFactory factory) {
        factory.getBus().setExtension(URL_CONNECTION, HTTPConduitFactory.class);
    }

    @Override
    public void configureClient(Client client) {
        // the conduit is the factory's
    }

    @Override
    public void configureServer(Server server) {
        // pgforce is only ever the SOAP client
    }
}
