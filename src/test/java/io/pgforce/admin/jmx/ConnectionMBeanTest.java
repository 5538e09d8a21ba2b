package io.pgforce.admin.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgforce.connection.PauseSwitch;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.RuntimeMBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The pgforce MBean through a real JMX connector (RMI on a free loopback port), as jconsole sees
 * it: attributes after real writes, and pause, resume and retry as operations; Camel's own MBeans beside it.
 */
@QuarkusTest
@EndToEnd
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionMBeanTest extends EndToEndWrites {

    static final ObjectName NAME = name("pgforce:type=Connection,name=salesforce");

    @Inject
    PauseSwitch pauseSwitch;

    JMXConnectorServer server;
    JMXConnector client;
    MBeanServerConnection jmx;
    static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    void connect() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        // the RMI connector on a loopback port; its address carries the server's stub (no registry, no JNDI)
        server = JMXConnectorServerFactory.newJMXConnectorServer(new JMXServiceURL("service:jmx:rmi://127.0.0.1:" + port), null,
                ManagementFactory.getPlatformMBeanServer());
        server.start();
        client = JMXConnectorFactory.connect(server.getAddress());
        jmx = client.getMBeanServerConnection();
    }

    @AfterAll
    void disconnect() throws Exception {
        client.close();
        server.stop();
    }

    @AfterEach
    void close() throws Exception {
        pauseSwitch.resume("test clean-up");
    }

    private Object attribute(String name) throws Exception {
        return jmx.getAttribute(NAME, name);
    }

    /** An MXBean's Map attribute, as any JMX client receives it: TabularData of key/value rows. */
    private Map<String, Long> map(String name) throws Exception {
        TabularData table = (TabularData) attribute(name);
        return table.values().stream().map(CompositeData.class::cast)
                .collect(Collectors.toMap(row -> (String) row.get("key"), row -> (Long) row.get("value")));
    }

    @Test
    void attributesShowTheStateTheBacklogTheLastCycleAndTheCalls() throws Exception {
        Instant before = Instant.now();
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('J1', 'J-1'), (NULL, 'J-2')");
        await().atMost(Duration.ofSeconds(20)).until(() -> t.states("SUCCESS") == 1 && t.states("FAILED") == 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> "IDLE".equals(attribute("State")));
        assertThat(attribute("StateLabel")).isEqualTo("OK");
        assertThat(map("Backlog")).containsEntry("account/SUCCESS", 1L).containsEntry("account/FAILED", 1L);
        assertThat((Double) attribute("OldestNewChangeAgeSeconds")).isZero();
        assertThat(Instant.parse((String) attribute("LastCycleStart"))).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat((Long) attribute("LastCycleDurationMillis")).isGreaterThanOrEqualTo(0);
        assertThat(map("ApiCalls")).containsKey("SOAP/partial");
        assertThat((Double) attribute("RecordsPerCall")).isGreaterThan(0);
        Set<ObjectName> camel = jmx.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null);
        assertThat(camel).as("Camel's route MBeans beside pgforce's").isNotEmpty();
    }

    @Test
    void attributesShowTheOrgsApiUsageAsSalesforceLastSaidIt() throws Exception {
        t.sf.faults().dailyApiLimit(1000).apiRequestsUsed(500);
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('J4', 'J-4')");
        await().atMost(Duration.ofSeconds(20)).until(() -> t.states("SUCCESS") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(1000).equals(attribute("ApiRequestsMax")));
        assertThat((Long) attribute("ApiRequestsUsed")).isBetween(501L, 520L);
        assertThat(attribute("ApiMaxShare")).isEqualTo(0.8);
    }

    @Test
    void pauseResumeAndRetryAreOperations() throws Exception {
        jmx.invoke(NAME, "pause", null, null);
        assertThat(pauseSwitch.current()).get().extracting(PauseSwitch.Pause::by).isEqualTo("JMX");
        assertThat(attribute("Paused")).isEqualTo(true);
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES (NULL, 'J-3')");
        await().atMost(Duration.ofSeconds(10)).until(() -> "PAUSED".equals(attribute("State")));
        assertThat(map("Backlog")).containsEntry("account/NEW", 1L);
        assertThat((Double) attribute("OldestNewChangeAgeSeconds")).isGreaterThan(0);

        jmx.invoke(NAME, "resume", null, null);
        await().atMost(Duration.ofSeconds(15)).until(() -> "FAILED".equals(t.state(1)));

        t.db.update("UPDATE salesforce.account SET name = 'Fixed'");
        assertThat(jmx.invoke(NAME, "retryFailed", new Object[] {"Contact"}, new String[] {String.class.getName()})).isEqualTo(0);
        assertThat(jmx.invoke(NAME, "retryFailed", new Object[] {"Account"}, new String[] {String.class.getName()})).isEqualTo(1);
        t.drained(Duration.ofSeconds(15));
        assertThat(t.state(1)).isEqualTo("SUCCESS");
        assertThat(t.record("Account", "J-3").get("Name")).isEqualTo("Fixed");
        assertThat(jmx.invoke(NAME, "retryFailed", null, null)).isEqualTo(0);
        assertThatThrownBy(() -> jmx.invoke(NAME, "retryFailed", new Object[] {"Nope"}, new String[] {String.class.getName()}))
                .isInstanceOf(RuntimeMBeanException.class).hasRootCauseMessage("no mapping 'Nope' (give its object or table name)");
    }
}
