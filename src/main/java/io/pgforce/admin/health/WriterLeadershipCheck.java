package io.pgforce.admin.health;

import io.pgforce.cycle.PostgresLeaseClusterService;
import io.pgforce.cycle.WriterLease;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code pgforce-writer}: whether Camel has this instance leading the writer
 * namespace, and who holds the lease. Always UP: a standby serves the API and stands ready to
 * take over, so it must stay in the load balancer.
 */
@Readiness
@ApplicationScoped
public class WriterLeadershipCheck implements HealthCheck {

    private final PostgresLeaseClusterService cluster;
    private final WriterLease lease;

    WriterLeadershipCheck(PostgresLeaseClusterService cluster, WriterLease lease) {
        this.cluster = cluster;
        this.lease = lease;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pgforce-writer").up()
                .withData("leader", cluster.isLeader(cluster.namespace()))
                .withData("namespace", cluster.namespace())
                .withData("instance", lease.owner())
                .withData("holder", lease.holder().orElse("unknown"))
                .build();
    }
}
