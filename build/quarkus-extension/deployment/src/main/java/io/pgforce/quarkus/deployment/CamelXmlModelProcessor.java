package io.pgforce.quarkus.deployment;

import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveHierarchyIgnoreWarningBuildItem;
import java.util.List;
import org.jboss.jandex.DotName;

/**
 * Quarkus' JAXB support registers every JAXB-annotated class of the index for reflection, Camel's XML
 * model ({@code org.apache.camel.model}, indexed by its own jar) among them, and walks each through
 * the subclasses and implementations the index knows (every Camel endpoint, CXF's client, ...) into
 * types no index holds, warning about each (apache/camel-quarkus#5650). pgforce's routes are YAML and
 * nothing marshals Camel's model with JAXB, so those registrations are never used. The warning is
 * silenced for the packages that walk reaches; a class outside them, from a changed dependency or
 * from pgforce's own classes, still prints (and fails {@code CleanBuildIT}).
 */
class CamelXmlModelProcessor {

    /** Where the walk from Camel's XML model ends, as Quarkus 3.31 / Camel Quarkus 3.31 print it. */
    private static final List<String> REACHED_FROM_CAMEL_XML_MODEL = List.of(
            "org.w3c.dom.",                    // CXF's and SAAJ's DOM, the JDK's
            "org.xml.sax.",
            "org.ietf.jgss.",                  // CXF's SPNEGO authentication
            "org.springframework.",            // CXF's SpringBus, Spring not on the class path
            "org.apache.ws.commons.schema.",   // CXF's service model
            "org.apache.hc.",                  // camel-http
            "org.eclipse.jetty.",              // camel-salesforce's HTTP client
            "com.impossibl.postgres.",         // camel-pgevent's pgjdbc-ng
            "com.google.protobuf.",
            "io.micrometer.",                  // camel-micrometer
            "io.vertx.core.net.",
            "io.quarkus.tls.",
            "org.apache.commons.csv.",
            "org.apache.camel.tooling.model.");

    @BuildStep
    ReflectiveHierarchyIgnoreWarningBuildItem camelXmlModelIsNeverMarshalled() {
        return new ReflectiveHierarchyIgnoreWarningBuildItem(CamelXmlModelProcessor::reachedFromCamelXmlModel);
    }

    private static boolean reachedFromCamelXmlModel(DotName type) {
        String name = type.toString();
        return REACHED_FROM_CAMEL_XML_MODEL.stream().anyMatch(name::startsWith);
    }
}
