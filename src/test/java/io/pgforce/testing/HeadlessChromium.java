package io.pgforce.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for page tests: Debian's headless Chromium driven through Debian's chromedriver
 * (packages {@code chromium} and {@code chromium-driver}, which .ci/run installs). Found on the
 * machine, never downloaded: Selenium Manager is not asked.
 */
public final class HeadlessChromium {

    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private static ChromeDriver shared;

    private HeadlessChromium() {
    }

    public static ChromeDriver start() {
        Path browser = first(BROWSERS).orElseThrow(() -> missing("chromium"));
        Path driver = first(DRIVERS).orElseThrow(() -> missing("chromium-driver"));
        ChromeOptions options = new ChromeOptions()
                .setBinary(browser.toFile())
                // no sandbox: CI runs as root, where Chromium's sandbox refuses to start
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1100");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return chrome;
    }

    /** One browser for the JVM's page tests that need no other: started at the first call, quit when the JVM ends. */
    public static synchronized ChromeDriver shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::quit));
        }
        return shared;
    }

    private static Optional<Path> first(List<String> candidates) {
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    private static IllegalStateException missing(String debianPackage) {
        return new IllegalStateException("No " + debianPackage + " on this machine: apt-get install chromium chromium-driver (.ci/run does)");
    }
}
