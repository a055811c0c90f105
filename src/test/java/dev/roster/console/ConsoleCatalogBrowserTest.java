package dev.roster.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.ApiTest;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's segments, exports, resource editing, history paging and overview chart, walked in headless Chromium;
 * what each step changed is read back through the API. The overview runs first, while the account is still empty.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleCatalogBrowserTest extends ApiTest {
    private static Browser browser;
    private static WebDriver driver;

    @BeforeAll
    static void openBrowser() {
        browser = new Browser();
        driver = browser.driver;
    }

    @AfterAll
    static void closeBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void signedOut() {
        driver.get(server.url("/console/sign-in"));
        driver.manage().deleteAllCookies();
    }

    private static void open(String path) {
        driver.get(server.url(path));
    }

    private static WebElement id(String id) {
        return driver.findElement(By.id(id));
    }

    private static String text() {
        return driver.findElement(By.tagName("main")).getText();
    }

    private static void signIn(String login, String password) {
        open("/console/sign-in");
        id("login").sendKeys(login);
        id("password").sendKeys(password);
        id("sign-in").click();
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("sign-out")));
    }

    /** Clicks and waits for the next page to be loaded (each form here answers with a new page). */
    private static void clickAndWait(WebElement element) {
        ((JavascriptExecutor) driver).executeScript("window.rosterOldPage = true");
        element.click();
        browser.waiting().ignoring(org.openqa.selenium.WebDriverException.class).until(d -> Boolean.TRUE.equals(
                ((JavascriptExecutor) d).executeScript(
                        "return window.rosterOldPage === undefined && document.readyState === 'complete'")));
    }

    /** A GET with the browser's session cookie: what a click on a download link fetches. */
    private static String download(String url) {
        String cookie = driver.manage().getCookieNamed("roster_session").getValue();
        var response = server.send(HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Cookie", "roster_session=" + cookie).GET());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
        return response.body();
    }

    private static long resource(String name, String channels, long dbId) {
        return master().ok("resources/create", "{\"name\":\"" + name + "\",\"channels\":" + channels
                + (dbId == 0 ? "" : ",\"db_ids\":[" + dbId + "]") + "}").path("data").path("id").asLong();
    }

    private static String importProfile(long dbId, String email, String data) {
        return master().ok("profiles/import", "{\"db_id\":" + dbId + ",\"matching\":\"email\",\"email\":\"" + email
                + "\",\"data\":{" + data + "}}").path("profile_id").asText();
    }

    private static String subscription(long resourceId, String channel, String address, String status) {
        return "{\"resource_id\":" + resourceId + ",\"channel\":\"" + channel + "\",\""
                + (channel.equals("email") ? "email" : "phone") + "\":\"" + address + "\",\"status\":\"" + status + "\"}";
    }

    @Test
    @Order(1)
    void theOverviewChartsStatusesPerChannelAndSaysWhenThereIsNothingToChart() {
        signIn("admin", server.adminPassword());
        // an empty account: no database, and no chart but a sentence
        assertThat(text()).contains("No database yet.").contains("No subscriptions yet.");
        assertThat(driver.findElements(By.cssSelector("figure.chart"))).isEmpty();
        browser.screenshot("overview-empty", 1100);

        // a resource that enables push too, where nobody is subscribed: no chart of empty bars for push
        long db = createDatabase("Chart");
        long res = resource("Chart news", "[\"email\",\"sms\",\"push\"]", db);
        open("/console/");
        assertThat(text()).contains("No subscriptions yet.");
        assertThat(driver.findElements(By.cssSelector("figure.chart"))).isEmpty();

        importProfile(db, "a@example.com", "\"phones\":[\"+79000000001\"],\"subscriptions\":["
                + subscription(res, "email", "a@example.com", "subscribed") + ","
                + subscription(res, "sms", "+79000000001", "subscribed") + "]");
        importProfile(db, "b@example.com", "\"subscriptions\":[" + subscription(res, "email", "b@example.com", "subscribed") + "]");
        importProfile(db, "c@example.com", "\"subscriptions\":[" + subscription(res, "email", "c@example.com", "unsubscribed") + "]");
        open("/console/");
        List<WebElement> charts = driver.findElements(By.cssSelector("figure.chart"));
        assertThat(charts).extracting(c -> c.findElement(By.tagName("figcaption")).getText())
                .containsExactly("email 3 subscriptions", "sms 1 subscription");
        // each status is a labelled bar with its count; the API's counters say the same
        List<String> email = charts.get(0).findElements(By.cssSelector("text")).stream().map(WebElement::getText).toList();
        assertThat(String.join(" ", email)).contains("subscribed 2").contains("unsubscribed 1").contains("complained 0");
        assertThat(charts.get(0).findElement(By.cssSelector("rect.bar-subscribed")).getAttribute("width")).isEqualTo("300");
        assertThat(charts.get(0).findElement(By.cssSelector("rect.bar-unsubscribed")).getAttribute("width")).isEqualTo("150");
        assertThat(master().ok("databases/get_counters", "{\"id\":" + db + ",\"resource_id\":" + res + "}").path("data")
                .toString()).contains("\"subscribed\":2").contains("\"unsubscribed\":1");
        browser.screenshot("overview-chart", 1100);
    }

    @Test
    @Order(2)
    void segmentsAreMadeFromTheFilterFilledFromProfilesOpenedExportedAndDeleted() {
        long db = createDatabase("Segmented shop");
        master().ok("databases/fields_add", "{\"db_id\":" + db + ",\"name\":\"crm_id\",\"type\":\"int\"}");
        long res = resource("Segment news", "[\"email\"]", db);
        for (int i = 1; i <= 30; i++) {
            importProfile(db, "s" + i + "@example.com", "\"_fname\":\"Shopper " + i + "\",\"crm_id\":" + i
                    + ",\"subscriptions\":[" + subscription(res, "email", "s" + i + "@example.com",
                    i % 3 == 0 ? "unsubscribed" : "subscribed") + "]");
        }
        signIn("admin", server.adminPassword());

        // without a filter a dynamic segment cannot be made: the choice says why
        open("/console/db/" + db);
        assertThat(id("segments").getText()).contains("No segments yet.");
        assertThat(id("segment-dynamic").isEnabled()).isFalse();
        assertThat(id("segments").getText()).contains("apply a filter first");

        // a dynamic segment of the current filter: crm_id 2 to 30, 29 profiles
        open("/console/db/" + db + "?join=and&f0=crm_id&o0=gte&v0=2");
        assertThat(id("filter-query").getText()).isEqualTo("{\"crm_id\":{\"$gte\":2}}");
        id("segment-name").sendKeys("Returning <b>buyers</b>");
        id("segment-dynamic").click();
        clickAndWait(id("create-segment"));
        assertThat(driver.getCurrentUrl()).contains("/segments/");
        long loyal = Long.parseLong(driver.getCurrentUrl().replaceAll(".*/segments/(\\d+).*", "$1"));
        assertThat(text()).contains("The segment was created.");
        assertThat(id("segment-title").getText()).contains("Returning <b>buyers</b>").contains("dynamic")
                .contains("29 profiles");
        assertThat(id("segment-query").getText()).isEqualTo("{\"crm_id\":{\"$gte\":2}}");
        // its profiles page by page, and its counters per resource and channel
        assertThat(driver.findElements(By.cssSelector("#results tbody tr"))).hasSize(DatabaseRoutes.PAGE);
        String counters = id("segment-counters").getText();
        // crm_id 2..30: 10 multiples of 3 are unsubscribed, 19 subscribed
        assertThat(counters).contains("Segment news").contains("email 19 10");
        browser.screenshot("segment-dynamic", 1280);
        browser.screenshot("segment-phone", 390);
        clickAndWait(id("next-page"));
        assertThat(driver.findElements(By.cssSelector("#results tbody tr"))).hasSize(29 - DatabaseRoutes.PAGE);
        JsonNode stored = master().ok("segments/get", "{\"id\":" + loyal + "}").path("data");
        assertThat(stored.path("type").asText()).isEqualTo("dynamic");
        assertThat(stored.path("profiles_count").asLong()).isEqualTo(29);
        assertThat(stored.path("name").asText()).isEqualTo("Returning <b>buyers</b>");
        assertThat(master().ok("segments/get_counters", "{\"id\":" + loyal + ",\"resource_id\":" + res + "}")
                .path("data").toString()).contains("\"subscribed\":19").contains("\"unsubscribed\":10");

        // a static segment, empty at first
        open("/console/db/" + db);
        id("segment-name").sendKeys("VIP");
        clickAndWait(id("create-segment"));
        long vip = Long.parseLong(driver.getCurrentUrl().replaceAll(".*/segments/(\\d+).*", "$1"));
        assertThat(id("segment-title").getText()).contains("static").contains("0 profiles");
        assertThat(id("segment-empty").getText()).isEqualTo("No profiles in this segment yet.");
        browser.screenshot("segment-static-empty", 1280);

        // a name taken is refused in the segments card, the filter kept
        open("/console/db/" + db + "?join=and&f0=crm_id&o0=lte&v0=3");
        id("segment-name").sendKeys("VIP");
        clickAndWait(id("create-segment"));
        assertThat(id("segment-error").getText()).contains("already has a segment named 'VIP'");
        assertThat(id("segment-name").getAttribute("value")).isEqualTo("VIP");
        browser.screenshot("database-segments", 1280);
        assertThat(id("filter-query").getText()).isEqualTo("{\"crm_id\":{\"$lte\":3}}");
        assertThat(master().ok("segments/list", "{\"db_id\":" + db + "}").path("data")).hasSize(2);

        // the filter's three profiles join the static segment
        id("segment-name").clear();
        new Select(id("add-filtered-segment")).selectByValue(String.valueOf(vip));
        assertThat(id("add-filtered").getText()).isEqualTo("Add 3 profiles");
        clickAndWait(id("add-filtered"));
        assertThat(text()).contains("The segment's members were changed.");
        assertThat(driver.findElements(By.cssSelector("#results tbody tr"))).hasSize(3);
        assertThat(count(db, vip)).isEqualTo(3);

        // one leaves from the segment's page (the profile stays)
        clickAndWait(driver.findElement(By.cssSelector("#results tbody tr button")));
        assertThat(driver.findElements(By.cssSelector("#results tbody tr"))).hasSize(2);
        assertThat(count(db, vip)).isEqualTo(2);
        assertThat(master().ok("databases/get", "{\"id\":" + db + "}").path("data").path("profiles_count").asLong())
                .isEqualTo(30);

        // a profile's page: the segments it is in, one to join, and leaving again
        String twenty = master().ok("profiles/get", "{\"db_id\":" + db + ",\"email\":\"s20@example.com\"}")
                .path("data").path("id").asText();
        open("/console/db/" + db + "/p/" + twenty);
        assertThat(driver.findElement(By.cssSelector("#profile-segments table")).getText())
                .contains("Returning <b>buyers</b>").doesNotContain("VIP");
        new Select(id("join-segment")).selectByValue(String.valueOf(vip));
        clickAndWait(id("join-segment-button"));
        assertThat(text()).contains("The segment's members were changed.");
        assertThat(driver.findElement(By.cssSelector("#profile-segments table")).getText()).contains("VIP");
        assertThat(count(db, vip)).isEqualTo(3);
        browser.screenshot("profile-segments", 1280);
        clickAndWait(id("leave-segment-" + vip));
        assertThat(driver.getCurrentUrl()).contains("/p/" + twenty);
        assertThat(count(db, vip)).isEqualTo(2);
        JsonNode history = master().ok("subscribers/history_get", "{\"db_id\":" + db + ",\"matching\":\"profile_id\","
                + "\"profile_id\":\"" + twenty + "\"}").path("data");
        assertThat(history.toString()).contains("\"token_name\":\"admin\"");

        // exports: the filter's profiles, and a segment's, in the three formats
        open("/console/db/" + db + "?join=and&f0=crm_id&o0=gte&v0=25");
        String csv = download(id("export-csv").getAttribute("href"));
        assertThat(csv.lines().filter(l -> l.contains("@example.com")).count()).isEqualTo(6);
        assertThat(csv).contains("s25@example.com").doesNotContain("s24@example.com");
        String jsonl = download(id("export-jsonl").getAttribute("href"));
        assertThat(jsonl.lines().count()).isEqualTo(6);
        assertThat(dev.roster.json.Json.readStored(jsonl.lines().findFirst().orElseThrow()).path("crm_id").asLong())
                .isGreaterThanOrEqualTo(25);
        JsonNode json = dev.roster.json.Json.readStored(download(id("export-json").getAttribute("href")));
        assertThat(json).hasSize(6);
        assertThat(id("export-links").getText()).contains("CSV").contains("JSON Lines").contains("JSON");
        // a filter the query service refuses is a page saying why, not a download
        String cookie = driver.manage().getCookieNamed("roster_session").getValue();
        var refused = server.send(server.request("/console/db/" + db + "/export?format=csv&join=and&f0=crm_id&o0=gte&v0=many")
                .header("Cookie", "roster_session=" + cookie).GET());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Disposition")).isEmpty();
        assertThat(refused.body()).contains("crm_id").contains("<h1>Not done</h1>");
        open("/console/db/" + db);
        assertThat(download(id("export-jsonl").getAttribute("href")).lines().count()).isEqualTo(30);
        open("/console/db/" + db + "/segments/" + loyal);
        assertThat(download(id("export-jsonl").getAttribute("href")).lines().count()).isEqualTo(29);
        assertThat(download(id("export-csv").getAttribute("href")).lines().filter(l -> l.contains("@example.com")))
                .hasSize(29);

        // delete after a confirmation; the profiles stay
        open("/console/db/" + db + "/segments/" + vip);
        clickAndWait(id("delete-segment"));
        assertThat(text()).contains("Delete the segment VIP?").contains("2 profiles stay");
        browser.screenshot("segment-delete", 1280);
        clickAndWait(id("confirm-delete"));
        assertThat(text()).contains("The segment was deleted; its profiles stay.");
        assertThat(id("segment-list").getText()).doesNotContain("VIP");
        assertThat(master().call("segments/get", "{\"id\":" + vip + "}").error()).isEqualTo(404);
        assertThat(master().ok("databases/get", "{\"id\":" + db + "}").path("data").path("profiles_count").asLong())
                .isEqualTo(30);
        open("/console/audit");
        assertThat(browser.consoleErrors()).filteredOn(m -> m.contains("Content Security Policy")
                || m.contains("Uncaught")).isEmpty();
    }

    private static long count(long db, long segment) {
        return master().ok("profiles/count", "{\"db_id\":" + db + ",\"segment_id\":" + segment + "}").path("data")
                .path("count").asLong();
    }

    @Test
    @Order(3)
    void aUserWithoutCatalogWriteSeesSegmentsButNoFormToChangeThem() {
        long db = createDatabase("Read only segments");
        long segment = master().ok("segments/create", "{\"db_id\":" + db + ",\"name\":\"Newsletter\",\"type\":\"static\"}")
                .path("data").path("id").asLong();
        String profile = importProfile(db, "member@example.com", "\"_fname\":\"Member\"");
        master().ok("segments/add_profiles", "{\"id\":" + segment + ",\"profile_ids\":[\"" + profile + "\"]}");
        master().ok("users/create", "{\"login\":\"reader\",\"password\":\"reader-password-1\"}");
        signIn("reader", "reader-password-1");

        open("/console/db/" + db);
        assertThat(id("segment-list").getText()).contains("Newsletter").contains("1");
        assertThat(driver.findElements(By.id("segment-form"))).isEmpty();
        open("/console/db/" + db + "/segments/" + segment);
        assertThat(driver.findElements(By.cssSelector("#results tbody tr"))).hasSize(1);
        assertThat(driver.findElements(By.id("delete-segment"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("#results button"))).isEmpty();
        open("/console/db/" + db + "/p/" + profile);
        assertThat(id("profile-segments").getText()).contains("Newsletter");
        assertThat(driver.findElements(By.cssSelector("#profile-segments form"))).isEmpty();
        // the way to a delete is closed too, as segments/delete is
        open("/console/db/" + db + "/segments/" + segment + "/delete");
        assertThat(id("message").getText()).isEqualTo("Your user lacks the permission 'catalog.write'");
        browser.screenshot("segment-not-allowed", 1280);
        assertThat(count(db, segment)).isEqualTo(1);
    }

    @Test
    @Order(4)
    void aResourceIsEditedWithErrorsNextToTheirFieldsAndDeletedAfterAConfirmation() {
        long db = createDatabase("Resource edits");
        long shop = resource("Shop", "[\"email\"]", 0);
        resource("Blog", "[\"email\"]", 0);
        signIn("admin", server.adminPassword());
        open("/console/resources");
        clickAndWait(id("edit-resource-" + shop));
        assertThat(id("resource-name").getAttribute("value")).isEqualTo("Shop");

        // a name another resource has: refused next to the name, nothing saved
        id("resource-name").clear();
        id("resource-name").sendKeys("Blog");
        clickAndWait(id("save-resource"));
        assertThat(id("error-name").getText()).isEqualTo("A resource named 'Blog' already exists");
        assertThat(id("resource-name").getAttribute("value")).isEqualTo("Blog");
        assertThat(master().ok("resources/get", "{\"id\":" + shop + "}").path("data").path("name").asText())
                .isEqualTo("Shop");

        // no channel: refused next to the channels
        id("resource-name").clear();
        id("resource-name").sendKeys("Shop EU");
        for (WebElement box : driver.findElements(By.cssSelector("input[name=channels]:checked"))) {
            box.click();
        }
        clickAndWait(id("save-resource"));
        assertThat(id("error-channels").getText()).contains("'channels'");
        assertThat(driver.findElements(By.id("error-name"))).isEmpty();
        browser.screenshot("resource-refused", 1280);

        // good values: name, channels and databases saved as resources/update saves them
        driver.findElement(By.cssSelector("input[name=channels][value=email]")).click();
        driver.findElement(By.cssSelector("input[name=channels][value=sms]")).click();
        driver.findElement(By.cssSelector("input[name=db_ids][value='" + db + "']")).click();
        clickAndWait(id("save-resource"));
        assertThat(text()).contains("The resource was saved.");
        assertThat(id("resources").getText()).contains("Shop EU").contains("email, sms").contains("Resource edits");
        JsonNode saved = master().ok("resources/get", "{\"id\":" + shop + "}").path("data");
        assertThat(saved.path("name").asText()).isEqualTo("Shop EU");
        assertThat(saved.path("channels").toString()).isEqualTo("[\"email\",\"sms\"]");
        assertThat(saved.toString()).contains("[" + db + "]");
        browser.screenshot("resources", 1280);

        // delete, after a confirmation page
        clickAndWait(id("edit-resource-" + shop));
        clickAndWait(id("delete-resource"));
        assertThat(text()).contains("Delete the resource Shop EU?");
        clickAndWait(id("confirm-delete"));
        assertThat(text()).contains("The resource was deleted.");
        assertThat(id("resources").getText()).doesNotContain("Shop EU").contains("Blog");
        assertThat(master().call("resources/get", "{\"id\":" + shop + "}").error()).isEqualTo(404);
        open("/console/audit");
        assertThat(id("audit").getText()).contains("resource.update").contains("resource.delete");
    }

    @Test
    @Order(5)
    void theProfilesHistoryIsReadPageByPage() {
        long db = createDatabase("History pages");
        String profile = importProfile(db, "busy@example.com", "\"_fname\":\"Version 0\"");
        for (int i = 1; i <= 24; i++) {
            master().ok("profiles/update", "{\"db_id\":" + db + ",\"profile_id\":\"" + profile + "\",\"data\":{"
                    + "\"_fname\":\"Version " + i + "\"}}");
        }
        signIn("admin", server.adminPassword());
        open("/console/db/" + db + "/p/" + profile);
        List<WebElement> first = driver.findElements(By.cssSelector("#history tbody tr"));
        assertThat(first).hasSize(20);
        String firstPage = id("history").getText();
        assertThat(firstPage).contains("Version 1\"").doesNotContain("Version 24");
        assertThat(driver.findElements(By.id("history-first"))).isEmpty();
        clickAndWait(id("history-next"));
        String secondPage = id("history").getText();
        assertThat(driver.findElements(By.cssSelector("#history tbody tr"))).hasSize(5);
        assertThat(secondPage).contains("Version 24").doesNotContain("Version 1\"");
        assertThat(driver.findElements(By.id("history-next"))).isEmpty();
        browser.screenshot("profile-history-page-2", 1280);
        clickAndWait(id("history-first"));
        assertThat(id("history").getText()).isEqualTo(firstPage);
    }
}
