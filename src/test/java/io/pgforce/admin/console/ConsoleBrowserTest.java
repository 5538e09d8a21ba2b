package io.pgforce.admin.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.connection.PauseSwitch;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.HeadlessChromium;
import io.pgforce.testing.WriteTestSupport;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console in a real browser (headless Chromium) against the running application: it asks for
 * the admin token, shows the connection and its mappings, a failed insert appears with its
 * message, its Retry button sends it and the counts change; pause and resume; the trigger-log
 * explorer filters.
 */
@QuarkusTest
@EndToEnd
class ConsoleBrowserTest {

    static ChromeDriver browser;

    @TestHTTPResource("/console")
    URL console;
    @ConfigProperty(name = "pgforce.admin.token")
    String token;
    @Inject
    PauseSwitch pauseSwitch;

    WriteTestSupport t;

    @BeforeAll
    static void startBrowser() {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void open() {
        t = new WriteTestSupport();
        browser.get(console.toString());
        browser.executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
    }

    @AfterEach
    void close() throws Exception {
        pauseSwitch.resume("test clean-up");
        t.close();
    }

    /**
     * Waits on the page. The console rebuilds a table when its data changes, so an element found
     * a moment ago may have been replaced: such a read is tried again, not a failure.
     */
    private static ConditionFactory onPage(int seconds) {
        return await().atMost(Duration.ofSeconds(seconds)).ignoreException(StaleElementReferenceException.class);
    }

    /** One read (or click) of elements looked up afresh, repeated if the page replaced them meanwhile. */
    private static <T> T fresh(Callable<T> read) {
        return onPage(10).until(read, Objects::nonNull);
    }

    private WebElement errorRow(long logId) {
        return browser.findElement(By.cssSelector("#errors tbody tr[data-id='" + logId + "']"));
    }

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private void signIn() {
        onPage(10).until(() -> byId("token-form").isDisplayed());
        byId("token-input").sendKeys(token);
        byId("token-form").submit();
        onPage(10).until(() -> !byId("token-form").isDisplayed() && !byId("state").getText().equals("…"));
    }

    private String mappingCell(String table, String column) {
        return browser.findElement(By.cssSelector("#mappings tr[data-table='" + table + "'] td." + column)).getText();
    }

    private List<WebElement> errorRows() {
        return browser.findElements(By.cssSelector("#errors tbody tr"));
    }

    @Test
    void aFailedInsertAppearsAndItsRetryButtonSendsIt() throws Exception {
        signIn();
        assertThat(byId("state").getAttribute("data-state")).isIn("IDLE", "POLLING_DB_CHANGES", "WRITING");
        onPage(10).until(() -> mappingCell("account", "failed").equals("0"));

        t.sf.faults().faultCalls("UNKNOWN_EXCEPTION", 1);
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Console Co', 'CONSOLE-1')");
        long logId = t.db.count("SELECT max(id) FROM salesforce._trigger_log");
        onPage(15).until(() -> "FAILED".equals(t.state(logId)));

        onPage(10).until(() -> errorRows().size() == 1);
        assertThat(fresh(() -> errorRows().get(0).getAttribute("data-id"))).isEqualTo(String.valueOf(logId));
        assertThat(fresh(() -> errorRow(logId).findElement(By.cssSelector("td.message")).getText())).contains("UNKNOWN_EXCEPTION");
        onPage(10).until(() -> mappingCell("account", "failed").equals("1"));
        assertThat(fresh(() -> byId("total-failed").getText())).isEqualTo("1");
        screenshot();

        fresh(() -> {
            errorRow(logId).findElement(By.cssSelector("button.retry")).click();
            return true;
        });

        onPage(15).until(() -> "SUCCESS".equals(t.state(logId)));
        assertThat(t.record("Account", "CONSOLE-1").get("Name")).isEqualTo("Console Co");
        onPage(10).until(() -> errorRows().isEmpty() && mappingCell("account", "failed").equals("0"));
        onPage(10).until(() -> Long.parseLong(mappingCell("account", "written")) >= 1);
        assertThat(fresh(() -> byId("no-errors").isDisplayed())).isTrue();
        onPage(10).until(() -> Long.parseLong(byId("activity").getAttribute("data-written")) >= 1);
    }

    @Test
    void ignoreSilencesAWriteError() throws Exception {
        signIn();
        t.sf.faults().faultCalls("UNKNOWN_EXCEPTION", 1);
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Ignored Co', 'CONSOLE-2')");
        long logId = t.db.count("SELECT max(id) FROM salesforce._trigger_log");
        onPage(15).until(() -> errorRows().size() == 1);

        fresh(() -> {
            errorRow(logId).findElement(By.cssSelector("button.ignore")).click();
            return true;
        });

        onPage(10).until(() -> errorRows().isEmpty());
        assertThat(t.state(logId)).isEqualTo("IGNORED");
        assertThat(t.sf.org().count("Account")).isZero();
    }

    @Test
    void pauseAndResumeFromTheHeader() throws Exception {
        signIn();
        byId("pause-btn").click();
        onPage(10).until(() -> byId("resume-btn").isDisplayed() && !byId("pause-btn").isDisplayed());
        assertThat(pauseSwitch.current()).get().extracting(PauseSwitch.Pause::by).isEqualTo("console");

        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Waiting Co', 'CONSOLE-3')");
        onPage(10).until(() -> byId("state").getText().equals("Paused"));
        onPage(10).until(() -> mappingCell("account", "pending").equals("1"));

        byId("resume-btn").click();
        t.drained(Duration.ofSeconds(15));
        onPage(10).until(() -> byId("pause-btn").isDisplayed() && mappingCell("account", "pending").equals("0"));
        assertThat(t.sf.org().count("Account")).isEqualTo(1);
    }

    @Test
    void theOrgsApiUsageIsShownNextToTheState() throws Exception {
        t.sf.faults().dailyApiLimit(1000).apiRequestsUsed(500);
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Counted Co', 'CONSOLE-4')");
        t.drained(Duration.ofSeconds(15));
        signIn();
        onPage(10).until(() -> byId("api-usage").getText().contains(" of 1000 daily API requests"));
        assertThat(byId("api-usage").getText()).matches("API: 5\\d\\d of 1000 daily API requests \\(waits at 80%\\)");
    }

    @Test
    void theTriggerLogExplorerFiltersAndPages() throws Exception {
        signIn();
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'Row ' || g, 'ROW-' || g FROM generate_series(1, 30) g");
        t.db.update("INSERT INTO salesforce.contact (lastname, external_id__c) VALUES ('Solo', 'SOLO-1')");
        t.drained(Duration.ofSeconds(15));

        fresh(() -> {
            byId("log-table").findElement(By.cssSelector("option[value='account']")).click();
            return true;
        });
        byId("log-state").findElement(By.xpath("option[.='SUCCESS']")).click();
        byId("log-apply").click();
        onPage(10).until(() -> byId("log-range").getText().equals("1–25 of 30"));
        assertThat(fresh(() -> browser.findElements(By.cssSelector("#log tbody tr td.state-cell")).stream().map(WebElement::getText).toList()))
                .hasSize(25).containsOnly("SUCCESS");

        byId("log-next").click();
        onPage(10).until(() -> byId("log-range").getText().equals("26–30 of 30"));
        assertThat(fresh(() -> browser.findElements(By.cssSelector("#log tbody tr")).size())).isEqualTo(5);
    }

    /** The page as a person sees it, for docs/operations.md (target/console.png). */
    private void screenshot() throws Exception {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "console.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
