package io.appmanager.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.appmanager.apps.AppEvents;
import io.appmanager.gateway.GatewayDrops;
import io.appmanager.gateway.SessionRegistry;
import io.appmanager.support.Apps;
import io.appmanager.support.SinkExtension;
import io.appmanager.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The operator page in a real browser: Debian's headless Chromium driven by Debian's chromedriver through
 * Selenium (decision 0016). Skipped, with the missing binary named, on a machine without them.
 * Every wait is a WebDriverWait on the DOM; nothing sleeps.
 */
@QuarkusTest
class DashboardBrowserTest {

    /** Debian's paths; a system property may point elsewhere (or at nothing, to see the skip). */
    static final Path CHROMIUM = Path.of(System.getProperty("appmanager.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("appmanager.test.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final SinkExtension apps = new SinkExtension();

    @TestHTTPResource("/dashboard")
    URL page;

    @Inject
    SessionRegistry registry;

    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void openBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is absent: apt-get install chromium to run this test");
        assumeTrue(Files.isExecutable(CHROMEDRIVER),
                CHROMEDRIVER + " is absent: apt-get install chromium-driver to run this test");
        profile = Files.createTempDirectory("appmanager-chromium-");
        ChromeOptions options = new ChromeOptions();
        // both paths explicit, so Selenium Manager never looks for (or downloads) a browser or a driver
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser(org.junit.jupiter.api.TestInfo test) throws IOException {
        if (browser != null) {
            // what the page looked like at the end, pass or fail: target/dashboard-<test>.png
            byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
            Files.write(Path.of("target", "dashboard-" + test.getTestMethod().orElseThrow().getName() + ".png"), png);
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** What an operator pastes: an admin token whose topics claim lets it hear the admin topic. */
    private static String operatorToken() {
        return operatorToken("ops-dashboard");
    }

    private static String operatorToken(String sub) {
        return Tokens.of(sub).admin().topics(AppEvents.ADMIN_TOPIC).mint();
    }

    @Test
    void aRefusedTokenShowsWhyAndNoData() {
        browser.get(page.toString());
        signIn("not-a-token");
        String refused = until(() -> visibleText("message"), t -> !t.isEmpty());
        assertTrue(refused.contains("401"), refused);
        assertNoData();

        // a valid token without "admin": true, even one that may hear the admin topic
        signIn(Tokens.user("nosy", AppEvents.ADMIN_TOPIC));
        String forbidden = until(() -> visibleText("message"), t -> t.contains("403"));
        assertTrue(forbidden.contains("admin"), forbidden);
        assertNoData();
        assertEquals("Not connected", text("conn"));

        // the admin token works, and a refused one afterwards takes every datum off the page
        signIn(operatorToken());
        until(() -> status(), "live"::equals);
        assertTrue(rows("#counts tbody tr").size() >= 9, "every state has a row");
        signIn("Bearer still.not.a-token");
        until(() -> visibleText("message"), t -> t.contains("401"));
        assertNoData();
        assertTrue(rows("#counts tbody tr").isEmpty(), "the counts of the previous token are gone");
        assertTrue(rows("#rates tbody tr").isEmpty(), "the rates of the previous token are gone");
        assertEquals("", (String) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return sessionStorage.getItem('appmanager.dashboard.token') || ''"),
                "a refused token is not kept");
    }

    @Test
    void anSdkDroppingAndReconnectingShowsLiveInCountsListAndHistory() throws Exception {
        browser.get(page.toString());
        signIn(operatorToken());
        until(() -> status(), "live"::equals);
        assertTrue(text("message").isEmpty(), text("message"));
        assertCountsMatchTheApi();
        until(() -> rows("#rates tbody tr").size(), n -> n == 7);
        until(() -> rowText("#rates tbody tr[data-rate='resurrection_attempts'] th"), "Resurrection attempts (retries included)"::equals);
        until(() -> rowText("#rates tbody tr[data-rate='reconnect_success_rate'] th"), "Reconnect success rate"::equals);

        // a session starts: its row appears from the admin topic (the page is live: it polls nothing)
        Apps.Started started = apps.started("dash", 20000, Map.of("start_timeout_ms", 60000));
        String id = started.id();
        until(() -> stateOnPage(id), "CONNECTING"::equals);
        assertEquals(started.app().packageName(), until(() -> cell(id, 2), t -> !t.isEmpty()));

        // its SDK connects
        Apps.Sdk sdk = Apps.ready(started.app(), started.userSession(), Map.of());
        until(() -> stateOnPage(id), "RUNNING"::equals);
        assertCountsMatchTheApi();

        // the operator opens its history by clicking its row
        browser.findElement(By.cssSelector("#sessions tbody tr[data-id='" + id + "']")).click();
        until(this::historyEvents, List.of("StartRequested", "SdkAttached")::equals);
        assertTrue(text("history-title").contains(id), text("history-title"));

        // the SDK drops abruptly: grace, live in the list, the feed, the counts and the open history
        sdk.socket().abort();
        until(() -> stateOnPage(id), "GRACE_PERIOD"::equals);
        until(this::historyEvents, List.of("StartRequested", "SdkAttached", "SocketClosed")::equals);
        until(() -> feedFor(id), f -> f.contains("RUNNING → GRACE_PERIOD (SocketClosed)"));
        until(() -> countOnPage("GRACE_PERIOD"), n -> n >= 1);
        assertCountsMatchTheApi();

        // and comes back within grace with its reconnect token: the same app session, RUNNING again
        Apps.Sdk back = Apps.ready(started.app(), started.userSession(), Map.of("reconnect_token", sdk.token()));
        until(() -> stateOnPage(id), "RUNNING"::equals);
        List<String> history = until(this::historyEvents, h -> h.size() == 4);
        assertEquals(List.of("StartRequested", "SdkAttached", "SocketClosed", "SdkAttached"), history);
        List<String> last = until(() -> rows("#history tbody tr:last-child td").stream().map(WebElement::getText).toList(),
                cells -> cells.size() == 6);
        assertEquals("GRACE_PERIOD", last.get(1));
        assertEquals("RUNNING", last.get(2));
        assertTrue(last.get(4).contains("path=TOKEN"), last.toString());
        until(() -> feedFor(id), f -> f.contains("GRACE_PERIOD → RUNNING (SdkAttached)"));
        assertCountsMatchTheApi();
        // the reconnect reached the rates (refreshed on transitions, throttled)
        until(() -> rowText("#rates tbody tr[data-rate='reconnect_success_rate'] td[data-window='1m']"),
                t -> t.endsWith("%"));
        back.socket().close();
    }

    @Test
    void anIdTypedInShowsItsHistoryAndAnUnknownOneSaysSo() throws Exception {
        Apps.Running running = apps.running("dash-typed", 20000, Map.of("start_timeout_ms", 60000));
        browser.get(page.toString());
        signIn(operatorToken());
        until(() -> status(), "live"::equals);
        showHistory(running.id());
        until(this::historyEvents, List.of("StartRequested", "SdkAttached")::equals);
        showHistory("00000000-0000-0000-0000-000000000000");
        String missing = until(() -> visibleText("history-message"), t -> !t.isEmpty());
        assertTrue(missing.contains("No app session 00000000-0000-0000-0000-000000000000"), missing);
        assertTrue(!browser.findElement(By.id("history")).isDisplayed(), "no stale history beside the message");
        running.sdk().socket().close();
    }

    @Test
    void anAdminTokenThatMayNotHearTheAdminTopicShowsTheDataAndSaysWhyItIsNotLive() {
        browser.get(page.toString());
        signIn(Tokens.admin("ops-no-topic"));
        String why = until(() -> status(), "refused"::equals);
        assertTrue(text("conn").contains("not_authorized") && text("conn").contains(AppEvents.ADMIN_TOPIC), text("conn"));
        assertTrue(browser.findElement(By.id("data")).isDisplayed(), why);
        assertTrue(rows("#counts tbody tr").size() >= 9, "the counts are shown");
        assertCountsMatchTheApi();
        assertEquals("", visibleText("message"));
    }

    @Test
    void whenItsOwnSocketDropsThePageReconnectsAndCatchesUpOnWhatItMissed() throws Exception {
        browser.get(page.toString());
        signIn(operatorToken("ops-dashboard-drop"));
        until(() -> status(), "live"::equals);
        assertEquals("1", connects());
        assertCountsMatchTheApi();

        // the network drops the page's socket; a session starts meanwhile (its announcement is, almost
        // always, sent while the page is not subscribed: the page backs off at least half a second)
        assertEquals(1, GatewayDrops.dropSocketsOf(registry, "ops-dashboard-drop"));
        Apps.Started started = apps.started("dash-missed", 20000, Map.of("start_timeout_ms", 60000));

        // it reconnects by itself, IDENTIFYs again and re-reads: the session is listed and the counts are right
        until(this::connects, "2"::equals);
        assertEquals("live", status());
        assertTrue(text("conn").contains("reconnected 1 times"), text("conn"));
        until(() -> stateOnPage(started.id()), "CONNECTING"::equals);
        assertCountsMatchTheApi();

        // and it is live again: the next transition arrives as an event
        Apps.Sdk sdk = Apps.ready(started.app(), started.userSession(), Map.of());
        until(() -> stateOnPage(started.id()), "RUNNING"::equals);
        assertEquals("2", connects(), "no further reconnect was needed");
        sdk.socket().close();
    }

    // ------------------------------------------------------------------ page helpers

    private String connects() {
        String n = browser.findElement(By.id("conn")).getDomAttribute("data-connects");
        return n == null ? "" : n;
    }

    private void signIn(String token) {
        WebElement input = browser.findElement(By.id("token"));
        input.clear();
        input.sendKeys(token);
        browser.findElement(By.id("login-button")).click();
    }

    private void showHistory(String id) {
        WebElement input = browser.findElement(By.id("history-id"));
        input.clear();
        input.sendKeys(id);
        browser.findElement(By.id("history-show")).click();
    }

    private void assertNoData() {
        assertTrue(!browser.findElement(By.id("data")).isDisplayed(), "no data section after a refusal");
        assertTrue(rows("#counts tbody tr").isEmpty(), "no counts after a refusal");
        assertTrue(rows("#sessions tbody tr").isEmpty(), "no sessions after a refusal");
    }

    /**
     * The page's count of every state equals the API's. Other tests' sessions may still be moving (backing off
     * against closed sinks), so both are read again until they agree; a page that misses or double-counts a
     * transition does not.
     */
    private void assertCountsMatchTheApi() {
        until(() -> {
            JsonNode api = RestAssured.given().header("Authorization", "Bearer " + Apps.admin())
                    .get("/api/v1/app-sessions/counts").then().statusCode(200).extract().as(JsonNode.class);
            Map<String, Long> page = countsOnPage();
            StringBuilder mismatch = new StringBuilder();
            api.path("counts").fields().forEachRemaining(e -> {
                long onPage = page.getOrDefault(e.getKey(), -1L);
                if (onPage != e.getValue().asLong()) {
                    mismatch.append(e.getKey()).append(": page ").append(onPage).append(", API ")
                            .append(e.getValue().asLong()).append("; ");
                }
            });
            if (page.getOrDefault("total", -1L) != api.path("total").asLong()) {
                mismatch.append("total: page ").append(page.get("total")).append(", API ").append(api.path("total"));
            }
            return mismatch.toString();
        }, String::isEmpty);
    }

    private long countOnPage(String state) {
        return countsOnPage().getOrDefault(state, -1L);
    }

    /** The counts table in one read (one script), so a re-render cannot fall between two of its cells. */
    private Map<String, Long> countsOnPage() {
        Object read = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "const m = {}; for (const tr of document.querySelectorAll('#counts tbody tr')) {"
                        + " m[tr.dataset.state] = Number(tr.querySelector('td.count').textContent); }"
                        + " m['total'] = Number(document.getElementById('count-total').textContent || -1); return m;");
        Map<String, Long> counts = new java.util.HashMap<>();
        ((Map<?, ?>) read).forEach((k, v) -> counts.put((String) k, ((Number) v).longValue()));
        return counts;
    }

    private String stateOnPage(String id) {
        List<WebElement> cell = rows("#sessions tbody tr[data-id='" + id + "'] td.state");
        return cell.isEmpty() ? "" : cell.get(0).getText();
    }

    private String cell(String id, int column) {
        return rowText("#sessions tbody tr[data-id='" + id + "'] td:nth-child(" + column + ")");
    }

    private List<String> historyEvents() {
        if (!browser.findElement(By.id("history")).isDisplayed()) {
            return List.of();
        }
        return rows("#history tbody tr td.event").stream().map(WebElement::getText).toList();
    }

    private String feedFor(String id) {
        return String.join("\n", rows("#feed li[data-id='" + id + "']").stream().map(WebElement::getText).toList());
    }

    private String status() {
        return browser.findElement(By.id("conn")).getDomAttribute("data-status");
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private String visibleText(String id) {
        WebElement e = browser.findElement(By.id(id));
        return e.isDisplayed() ? e.getText() : "";
    }

    private String rowText(String css) {
        List<WebElement> found = rows(css);
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private List<WebElement> rows(String css) {
        return browser.findElements(By.cssSelector(css));
    }

    /** Polls the page until {@code done} holds of what {@code read} sees; fails naming the last thing it saw. */
    private <T> T until(java.util.function.Supplier<T> read, java.util.function.Predicate<T> done) {
        Object[] last = new Object[1];
        try {
            // the page re-renders tables as transitions arrive (other tests' sessions too): an element found
            // just before a re-render is stale, and is read again at the next poll
            return new WebDriverWait(browser, WAIT).pollingEvery(Duration.ofMillis(100))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
                T seen = read.get();
                last[0] = seen;
                return done.test(seen) ? seen : null;
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the page never got there; last seen: " + last[0]
                    + "; status: " + text("conn") + "; message: " + text("message"), e);
        }
    }
}
