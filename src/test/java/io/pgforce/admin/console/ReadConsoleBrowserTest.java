package io.pgforce.admin.console;

import static org.awaitility.Awaitility.await;

import io.pgforce.read.EndToEndReads;
import io.pgforce.read.ReadTestProfile;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.HeadlessChromium;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;

/** The console's mappings table in a real browser (headless Chromium): each mapping's read phase and lag, while the application reads the simulated org. */
@QuarkusTest
@EndToEnd(mapping = "test-read.yaml")
@TestProfile(ReadTestProfile.class)
class ReadConsoleBrowserTest extends EndToEndReads {

    static ChromeDriver browser;

    @TestHTTPResource("/console")
    URL console;
    @ConfigProperty(name = "pgforce.admin.token")
    String token;

    @BeforeAll
    static void browser() {
        browser = HeadlessChromium.shared();
    }

    private String cell(String table, String column) {
        return browser.findElement(By.cssSelector("#mappings tr[data-table='" + table + "'] td." + column)).getText();
    }

    @Test
    void theMappingsTableShowsEachMappingsReadPhaseAndLag() throws Exception {
        r.create("Account", Map.of("Name", "Acme", "External_Id__c", "B-1"));
        r.resumedAndSynced("account", "contact");

        browser.get(console.toString());
        browser.executeScript("sessionStorage.setItem('pgforce.token', arguments[0])", token);
        browser.navigate().refresh();
        await().atMost(WITHIN).ignoreException(StaleElementReferenceException.class).ignoreException(org.openqa.selenium.NoSuchElementException.class)
                .until(() -> cell("account", "read-phase").equals("SYNCED") && cell("account", "lag").matches("\\d+ s")
                        && cell("contact", "read-phase").equals("SYNCED") && cell("contact", "lag").equals("none"));
    }
}
