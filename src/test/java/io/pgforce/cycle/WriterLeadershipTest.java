package io.pgforce.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.component.master.MasterConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Camel's leadership follows the writer lease: while another instance holds it this one is a
 * standby (STANDBY, leader false in JMX and health, its master: consumers stopped, no cycle, not
 * even for a notify); once the lease ends it leads again within moments, and its first cycle puts
 * back what the other writer left PENDING and writes it. The lease lives 3 s here, so the leader
 * renews it, and finds it gone, every second.
 */
@QuarkusTest
@EndToEnd
@TestProfile(WriterLeadershipTest.ShortLease.class)
class WriterLeadershipTest extends EndToEndWrites {

    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // under its old name on purpose: a renamed setting's old name still counts above the defaults (RenamedSettings)
            return Map.of("pgforce.writer.lease-seconds", "3");
        }
    }

    private static final String NAMESPACE = "pgforce-writer";

    @Inject
    CamelContext camel;
    @Inject
    ConnectionStatus status;
    @TestHTTPResource("/q/health/ready")
    URI readiness;

    @AfterEach
    void close() {
        t.db.update("DELETE FROM salesforce._hc_writer WHERE owner <> 'test-instance'");
    }

    @Test
    void leadershipFollowsTheLeaseInJmxHealthAndTheMasterConsumers() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> leaderInJmx() && leaderInHealth() && masterConsumersRun(true));

        // another instance holds the lease: this one's next renewal finds it gone
        t.db.update("UPDATE salesforce._hc_writer SET owner = 'other-instance', expires_at = now() + interval '1 hour'");
        await().atMost(Duration.ofSeconds(5)).until(() -> status.state() == ConnectionState.STANDBY);
        assertThat(status.reason()).contains("other-instance");
        await().atMost(Duration.ofSeconds(5)).until(() -> !leaderInJmx() && !leaderInHealth() && masterConsumersRun(false));
        assertThat(health()).contains("\"holder\":\"other-instance\"");

        // a standby writes nothing, notified or not: the change waits, as does what the other left PENDING
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Standby 1', 'S-1'), ('Standby 2', 'S-2')");
        t.db.update("UPDATE salesforce._trigger_log SET state = 'PENDING' WHERE id = 1");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> t.states("NEW") == 1 && t.states("PENDING") == 1);
        assertThat(t.sf.org().count("Account")).isZero();

        // the other instance's lease ends: this one leads within the standby check and writes both
        long ended = System.nanoTime();
        t.db.update("UPDATE salesforce._hc_writer SET expires_at = now() - interval '1 second'");
        await().atMost(Duration.ofSeconds(5)).until(() -> leaderInJmx() && leaderInHealth() && masterConsumersRun(true));
        System.out.printf("leadership: led again %.1f s after the other lease ended%n", (System.nanoTime() - ended) / 1e9);
        t.drained(Duration.ofSeconds(10));
        assertThat(t.states("SUCCESS")).isEqualTo(2);
        assertThat(t.sf.org().count("Account")).isEqualTo(2);
        assertThat(t.db.scalar("SELECT owner FROM salesforce._hc_writer")).isEqualTo("test-instance");
    }

    /** The cluster service's MBean (camel-management), asked for the writer namespace. */
    private boolean leaderInJmx() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("org.apache.camel:context=*,type=clusterservices,name=PostgresLeaseClusterService*"), null);
        assertThat(names).as("the cluster service's MBean").hasSize(1);
        ObjectName name = names.iterator().next();
        assertThat(String.valueOf(server.getAttribute(name, "Namespaces"))).isEqualTo("[" + NAMESPACE + "]");
        return (Boolean) server.invoke(name, "isLeader", new Object[] {NAMESPACE}, new String[] {String.class.getName()});
    }

    private String health() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body().replaceAll("\\s", "");
        assertThat(body).as("readiness").contains("\"name\":\"pgforce-writer\",\"status\":\"UP\"");
        return body;
    }

    private boolean leaderInHealth() throws Exception {
        return health().contains("\"leader\":true");
    }

    /** The writer's routes run under master:, and their consumers run (the listener LISTENs) only while this instance leads. */
    private boolean masterConsumersRun(boolean expected) {
        for (String route : new String[] {"pgforce-poll-timer", "pgforce-notify-listener", "pgforce-housekeeping"}) {
            MasterConsumer consumer = (MasterConsumer) camel.getRoute(route).getConsumer();
            if (consumer.isMaster() != expected) {
                return false;
            }
        }
        return t.db.count("SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN salesforce_hc_trigger_log%'") == (expected ? 1 : 0);
    }
}
