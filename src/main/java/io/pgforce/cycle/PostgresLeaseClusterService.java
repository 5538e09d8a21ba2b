package io.pgforce.cycle;

import io.pgforce.config.Backoff;
import io.pgforce.config.RetrySettings;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.schema.SchemaStartup;
import io.quarkus.arc.Unremovable;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.support.cluster.AbstractCamelClusterService;

/**
 * Camel's view of the writer lease: a cluster service whose one namespace
 * ({@code pgforce.cluster.namespace}) is led by whichever instance holds the {@code _hc_writer}
 * lease, so the writer's consumers run under {@code master:} and Camel's leadership shows in JMX
 * (a ManagedClusterService) and in health. The lease stays the fence (every trigger-log statement
 * checks it); this service only tells Camel who holds it. Camel Main adds it to the CamelContext,
 * as it does every cluster service in the registry.
 */
@Singleton
@Unremovable
@Named("pgforceClusterService")
public class PostgresLeaseClusterService extends AbstractCamelClusterService<PostgresLeaseView> {

    private final WriterLease lease;
    private final SchemaStartup schema;
    private final ConnectionStatus status;
    private final String namespace;
    private final long standbyCheckMillis;
    private final Backoff backoff;

    @Inject
    PostgresLeaseClusterService(WriterLease lease, SchemaStartup schema, ConnectionStatus status,
                                ClusterSettings cluster, RetrySettings retry) {
        super("pgforce-writer-lease");
        this.lease = lease;
        this.schema = schema;
        this.status = status;
        this.namespace = cluster.namespace();
        this.standbyCheckMillis = cluster.standbyCheck().toMillis();
        this.backoff = retry.backoff();
    }

    /** The namespace the writer's routes run under ({@code master:<namespace>:...}). */
    public String namespace() {
        return namespace;
    }

    @Override
    protected PostgresLeaseView createView(String requested) {
        if (!namespace.equals(requested)) {
            throw new IllegalArgumentException("pgforce's cluster service leads one namespace, '" + namespace
                    + "' (pgforce.cluster.namespace); a route asks for '" + requested + "'");
        }
        return new PostgresLeaseView(this, requested, lease, schema, status, standbyCheckMillis, backoff);
    }
}
