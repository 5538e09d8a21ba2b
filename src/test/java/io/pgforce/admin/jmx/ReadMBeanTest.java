package io.pgforce.admin.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.read.EndToEndReads;
import io.pgforce.read.ReadTestProfile;
import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** Each mapping's read MBean ({@code pgforce:type=Read,name=<schema>,mapping=<table>}) while the application reads the simulated org. */
@QuarkusTest
@EndToEnd(mapping = "test-read.yaml")
@TestProfile(ReadTestProfile.class)
class ReadMBeanTest extends EndToEndReads {

    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    private static ObjectName read(String table) throws Exception {
        return new ObjectName("pgforce:type=Read,name=salesforce,mapping=" + table);
    }

    @Test
    void eachMappingsReadIsAnMBeanWithItsStateAndAReloadOperation() throws Exception {
        r.create("Account", Map.of("Name", "Acme", "External_Id__c", "J-1"));
        r.resumedAndSynced("account", "contact");
        r.polledAfterNow("account"); // a poll after the load (the load's calls are its count and page)

        assertThat(jmx.queryNames(new ObjectName("pgforce:type=Read,name=salesforce,*"), null)).containsExactlyInAnyOrder(read("account"), read("contact"));
        ObjectName account = read("account");
        assertThat(jmx.getAttribute(account, "Object")).isEqualTo("Account");
        assertThat(jmx.getAttribute(account, "Phase")).isEqualTo("SYNCED");
        assertThat((String) jmx.getAttribute(account, "Watermark")).isNotEmpty();
        assertThat((Double) jmx.getAttribute(account, "LagSeconds")).isBetween(0.0, 300.0);
        assertThat((String) jmx.getAttribute(account, "LastPollStarted")).isNotEmpty();
        assertThat((String) jmx.getAttribute(account, "LastPollEnded")).isNotEmpty();
        assertThat(jmx.getAttribute(account, "LastError")).isEqualTo("");
        assertThat(jmx.getAttribute(account, "RecordsApplied")).isEqualTo(1L);
        assertThat(jmx.getAttribute(account, "RecordsFailed")).isEqualTo(0L);
        assertThat((Long) jmx.getAttribute(account, "ApiCalls")).isPositive();
        assertThat(jmx.getAttribute(account, "LastPollApiCalls")).isEqualTo(1L);
        assertThat(jmx.getAttribute(account, "LoadApiCalls")).as("the load's count and one page").isEqualTo(2L);
        assertThat(jmx.getAttribute(read("contact"), "LagSeconds")).as("no record read: no lag").isEqualTo(-1.0);

        r.pause();
        jmx.invoke(account, "reload", null, null);
        assertThat(jmx.getAttribute(account, "LoadApiCalls")).isEqualTo(0L);
        assertThat(jmx.getAttribute(account, "Watermark")).isEqualTo("");
        r.resume();
        await().atMost(WITHIN).until(() -> "SYNCED".equals(jmx.getAttribute(account, "Phase")) && (Long) jmx.getAttribute(account, "LoadApiCalls") == 2);
        assertThat(r.t.db.count("SELECT count(*) FROM salesforce.account")).as("matched, not duplicated").isEqualTo(1);
    }
}
