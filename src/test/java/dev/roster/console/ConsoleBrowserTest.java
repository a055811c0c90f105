package dev.roster.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console walked as a person would, in headless Chromium: every step checked on the page, and the stored state
 * read back through the API. Each test saves a screenshot under target/screenshots/.
 */
class ConsoleBrowserTest extends ApiTest {
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

    private static void signIn(String login, String password) {
        open("/console/sign-in");
        id("login").clear();
        id("login").sendKeys(login);
        id("password").sendKeys(password);
        // the answer is a new page: mark this one, and wait until the browser shows another
        ((JavascriptExecutor) driver).executeScript("window.rosterOldPage = true");
        id("sign-in").click();
        browser.waiting().ignoring(org.openqa.selenium.WebDriverException.class).until(d -> Boolean.TRUE.equals(
                ((JavascriptExecutor) d).executeScript(
                        "return window.rosterOldPage === undefined && document.readyState === 'complete'")));
        browser.waiting().until(d -> !d.findElements(By.id("sign-in-error")).isEmpty()
                || !d.findElements(By.id("sign-out")).isEmpty());
    }

    private static void signInAsAdmin() {
        signIn("admin", server.adminPassword());
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("sign-out")));
    }

    private static String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    private static void noAlert() {
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    void aPersonWalksEveryMainPath() throws Exception {
        // sign in with the printed password
        open("/");
        assertThat(driver.getCurrentUrl()).endsWith("/console/sign-in");
        signInAsAdmin();
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Overview");

        // a database and a field
        id("new-database").sendKeys("Shop customers");
        id("create-database").click();
        browser.waiting().until(ExpectedConditions.urlContains("/console/db/"));
        long dbId = Long.parseLong(driver.getCurrentUrl().replaceAll(".*/console/db/(\\d+).*", "$1"));
        assertThat(text()).contains("The database was created.");
        id("field-name").sendKeys("crm_id");
        new Select(id("field-type")).selectByValue("int");
        id("add-field").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("fields"), "crm_id"));
        JsonNode fields = master().ok("databases/fields_get", "{\"db_id\":" + dbId + "}").path("data");
        assertThat(fields.toString()).contains("\"crm_id\"").contains("\"int\"");

        // a CSV of 1,000 good rows and two bad ones, uploaded from the browser
        StringBuilder csv = new StringBuilder("email,_fname,crm_id\n");
        for (int i = 1; i <= 1000; i++) {
            csv.append("user").append(i).append("@example.com,Name ").append(i).append(',').append(i).append('\n');
            if (i == 300 || i == 700) {
                csv.append("bad").append(i).append("@example.com,Bad,not-a-number\n");
            }
        }
        Path file = Files.createTempFile("roster-console-", ".csv");
        Files.writeString(file, csv);
        id("upload-file").sendKeys(file.toAbsolutePath().toString());
        id("upload-button").click();
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("import-progress")));
        assertThat(((JavascriptExecutor) driver).executeScript("return typeof htmx")).isEqualTo("object");
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("import-done")));
        assertThat(id("import-bar").getAttribute("value")).isEqualTo("100");
        assertThat(id("import-imported").getText()).isEqualTo("1000");
        assertThat(id("import-rejected").getText()).isEqualTo("2");
        String report = get(id("rejected-report").getAttribute("href"));
        assertThat(report).contains("not-a-number").contains("crm_id");
        browser.screenshot("import-finished", 1280);
        Files.delete(file);
        assertThat(master().ok("databases/get", "{\"id\":" + dbId + "}").path("data").toString())
                .contains("\"profiles_count\":1000");

        // a subscription to change later, through the API
        open("/console/resources");
        id("resource-name").sendKeys("Newsletter");
        id("create-resource").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("resources"), "Newsletter"));
        JsonNode resources = master().ok("resources/list", "{}").path("data");
        long resourceId = resources.get(0).path("id").asLong();
        assertThat(resources.get(0).path("channels").toString()).isEqualTo("[\"email\"]");
        master().ok("profiles/import", "{\"db_id\":" + dbId + ",\"matching\":\"email\",\"email\":\"user500@example.com\","
                + "\"data\":{\"subscriptions\":[{\"resource_id\":" + resourceId + ",\"channel\":\"email\","
                + "\"email\":\"user500@example.com\"}]}}");

        // the filter builder writes the profiles/list query
        open("/console/db/" + dbId);
        driver.findElement(By.cssSelector("details.filter summary")).click();
        new Select(driver.findElement(By.name("f0"))).selectByValue("crm_id");
        new Select(driver.findElement(By.name("o0"))).selectByValue("gte");
        driver.findElement(By.name("v0")).sendKeys("990");
        id("apply-filter").click();
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("filter-query")));
        assertThat(id("filter-query").getText()).isEqualTo("{\"crm_id\":{\"$gte\":990}}");
        // and runs it: crm_id 990 to 1000 are eleven profiles, counted and listed
        assertThat(driver.findElements(By.cssSelector("#results tbody tr"))).hasSize(11);
        assertThat(driver.findElement(By.cssSelector("h2 .muted")).getText()).isEqualTo("11 match");
        browser.screenshot("filter", 1280);

        // search, open the profile
        open("/console/db/" + dbId);
        assertThat(driver.findElements(By.cssSelector("#results tbody tr"))).hasSize(DatabaseRoutes.PAGE);
        browser.screenshot("database", 1280);
        id("search").sendKeys("USER500@example.com");
        WebElement before = driver.findElement(By.cssSelector("#results tbody tr"));
        id("search-button").click();
        // the answer is a new page: wait until the browsing page's rows are gone before reading the result
        browser.waiting().until(ExpectedConditions.stalenessOf(before));
        List<WebElement> found = browser.waiting().until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#results tbody tr a"));
            return rows.isEmpty() ? null : rows;
        });
        assertThat(found).hasSize(1);
        found.get(0).click();
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("profile-form")));
        String profileId = driver.getCurrentUrl().replaceAll(".*/p/([0-9a-f]{24}).*", "$1");

        // a bad value is refused next to its field, and nothing is written
        id("f-crm_id").clear();
        id("f-crm_id").sendKeys("twelve");
        id("save-profile").click();
        WebElement fieldError = browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("error-crm_id")));
        assertThat(fieldError.getText()).contains("crm_id");
        assertThat(id("f-crm_id").getAttribute("value")).isEqualTo("twelve");
        browser.screenshot("profile-field-refused", 1280);
        assertThat(profile(dbId, profileId).path("crm_id").asLong()).isEqualTo(500);

        // a good value is saved
        id("f-crm_id").clear();
        id("f-crm_id").sendKeys("5000");
        driver.findElement(By.cssSelector("details.more summary")).click(); // empty standard fields are folded
        id("f-_lname").sendKeys("Edited");
        id("save-profile").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Saved."));
        assertThat(profile(dbId, profileId).path("crm_id").asLong()).isEqualTo(5000);
        assertThat(profile(dbId, profileId).path("_lname").asText()).isEqualTo("Edited");

        // the subscription's status
        new Select(driver.findElement(By.cssSelector("table.subs select[name=status]"))).selectByValue("unsubscribed");
        driver.findElement(By.cssSelector("table.subs button")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"),
                "The subscription's status was changed."));
        assertThat(profile(dbId, profileId).path("subscriptions").get(0).path("status").asText()).isEqualTo("unsubscribed");
        // the history names the user's login as the API's names a token
        assertThat(id("history").getText()).contains("admin");
        JsonNode history = master().ok("subscribers/history_get", "{\"db_id\":" + dbId + ",\"matching\":\"profile_id\","
                + "\"profile_id\":\"" + profileId + "\"}").path("data");
        assertThat(history.toString()).contains("\"token_name\":\"admin\"");
        browser.screenshot("profile", 1280);
        browser.screenshot("profile-phone", 390);

        // a token made in the console works against the API until revoked there
        open("/console/tokens");
        id("token-name").sendKeys("made in the console");
        id("create-token").click();
        String secret = browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("token-secret"))).getText();
        assertThat(secret).matches("[0-9a-f]{32}");
        assertThat(server.client(secret).call("databases/list", "{}").error()).isZero();
        browser.screenshot("token-created", 1280);
        long tokenId = master().ok("tokens/list", "{}").path("data").findParents("name").stream()
                .filter(t -> t.path("name").asText().equals("made in the console")).findFirst().orElseThrow()
                .path("id").asLong();
        id("revoke-" + tokenId).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "revoked"));
        TestServer.Response refused = server.client(secret).call("databases/list", "{}");
        assertThat(refused.error()).isEqualTo(401);
        assertThat(refused.errorText()).contains("revoked");

        open("/console/");
        assertThat(id("databases").getText()).contains("Shop customers").contains("1000");
        browser.screenshot("overview", 1100);

        // the audit log shows the console's actions under the login
        open("/console/audit");
        assertThat(id("audit").getText()).contains("token.revoke").contains("admin");

        // sign out: the console asks to sign in again
        id("sign-out").click();
        browser.waiting().until(ExpectedConditions.urlContains("/console/sign-in"));
        open("/console/");
        assertThat(driver.getCurrentUrl()).endsWith("/console/sign-in");
        noAlert();
        // nothing the pages load or do was blocked by the Content-Security-Policy, and no script failed
        // (the refused field's answer is a 400 on purpose: the browser notes it, and it is no such failure)
        assertThat(browser.consoleErrors()).filteredOn(m -> m.contains("Content Security Policy") || m.contains("Refused")
                || m.contains("Uncaught") || m.contains("htmx")).isEmpty();
    }

    private static JsonNode profile(long dbId, String profileId) {
        return master().ok("profiles/get", "{\"db_id\":" + dbId + ",\"matching\":\"profile_id\",\"profile_id\":\""
                + profileId + "\"}").path("data");
    }

    /** A GET with the browser's session cookie. */
    private static String get(String url) {
        String cookie = driver.manage().getCookieNamed("roster_session").getValue();
        return server.send(HttpRequest.newBuilder(java.net.URI.create(url)).header("Cookie", "roster_session=" + cookie)
                .GET()).body();
    }

    @Test
    void markupInProfileFieldsIsShownAsText() {
        long dbId = createDatabase("Hostile <b>names</b>");
        String script = "<script>alert(1)</script>";
        String img = "\"><img src=x onerror=alert(1)>";
        String profileId = master().ok("profiles/import", "{\"db_id\":" + dbId + ",\"matching\":\"email\","
                + "\"email\":\"xss@example.com\",\"data\":{\"_fname\":" + dev.roster.json.Json.write(
                dev.roster.json.Json.MAPPER.getNodeFactory().textNode(script)) + ",\"_lname\":"
                + dev.roster.json.Json.write(dev.roster.json.Json.MAPPER.getNodeFactory().textNode(img)) + "}}")
                .path("profile_id").asText();
        signInAsAdmin();
        noAlert();
        open("/console/db/" + dbId);
        noAlert();
        assertThat(id("results").getText()).contains(script).contains(img);
        open("/console/db/" + dbId + "/p/" + profileId);
        noAlert();
        assertThat(id("profile-title").getText()).isEqualTo(script + " " + img);
        assertThat(id("f-_fname").getAttribute("value")).isEqualTo(script);
        assertThat(id("f-_lname").getAttribute("value")).isEqualTo(img);
        assertThat(driver.findElements(By.cssSelector("main img"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("main script"))).isEmpty();
        browser.screenshot("markup-as-text", 1280);

        // delete, after a confirmation page
        id("delete-profile").click();
        id("confirm-delete").click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"),
                "The profile was deleted."));
        assertThat(master().call("profiles/get", "{\"db_id\":" + dbId + ",\"matching\":\"profile_id\","
                + "\"profile_id\":\"" + profileId + "\"}").error()).isEqualTo(404);
        open("/console/audit");
        assertThat(id("audit").getText()).contains("profile.delete").contains(profileId);
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefused() {
        signInAsAdmin();
        ((JavascriptExecutor) driver).executeScript(
                "document.querySelector('form[action=\"/console/databases\"] input[name=_csrf]').remove()");
        id("new-database").sendKeys("made without csrf");
        id("create-database").click();
        browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("message")));
        assertThat(id("message").getText()).contains("CSRF").contains("nothing was changed");
        browser.screenshot("csrf-refused", 1280);
        assertThat(master().ok("databases/list", "{}").toString()).doesNotContain("made without csrf");
    }

    @Test
    void theSixthWrongPasswordFindsTheLoginLocked() {
        master().ok("users/create", "{\"login\":\"lockme\",\"password\":\"right-password-1\"}");
        for (int i = 1; i <= 4; i++) {
            signIn("lockme", "wrong-" + i);
            assertThat(id("sign-in-error").getText()).contains("Wrong login or password")
                    .contains((5 - i) + " more failed attempts");
        }
        signIn("lockme", "wrong-5");
        assertThat(id("sign-in-error").getText()).contains("locked for 15 minutes");
        signIn("lockme", "right-password-1");
        assertThat(id("sign-in-error").getText()).contains("is locked after 5 failed sign-ins").contains("try again after");
        assertThat(driver.findElements(By.id("sign-out"))).isEmpty();
        browser.screenshot("login-locked", 1280);
        // another login is not concerned
        signInAsAdmin();
    }

    @Test
    void aUserWhoIsNotMasterSeesNoTokensNorUsersAndChangesTheirPassword() {
        signInAsAdmin();
        open("/console/users");
        driver.findElement(By.name("login")).sendKeys("marketer");
        driver.findElement(By.cssSelector("form[action='/console/users'] button")).click();
        String created = browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("user-password")))
                .getText();
        assertThat(id("users").getText()).contains("marketer");
        // a master user resets it: a new password, shown once
        driver.findElement(By.xpath("//table[@id='users']//tr[td[text()='marketer']]//button")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("new-password"), "marketer"));
        String firstPassword = id("user-password").getText();
        assertThat(firstPassword).hasSize(16).isNotEqualTo(created);
        id("sign-out").click();
        browser.waiting().until(ExpectedConditions.urlContains("/console/sign-in"));
        signIn("marketer", firstPassword);
        assertThat(driver.findElements(By.id("sign-out"))).hasSize(1);
        assertThat(driver.findElement(By.tagName("nav")).getText()).doesNotContain("Tokens").doesNotContain("Users");
        open("/console/tokens");
        assertThat(id("message").getText()).contains("master user");
        open("/console/users");
        assertThat(id("message").getText()).contains("master user");

        open("/console/password");
        driver.findElement(By.name("current_password")).sendKeys(firstPassword);
        driver.findElement(By.name("new_password")).sendKeys("second-password");
        driver.findElement(By.name("repeat_password")).sendKeys("second-password");
        driver.findElement(By.cssSelector("form[action='/console/password'] button")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"),
                "Your password was changed"));
        id("sign-out").click();
        browser.waiting().until(ExpectedConditions.urlContains("/console/sign-in"));
        signIn("marketer", firstPassword);
        assertThat(id("sign-in-error").getText()).contains("Wrong login or password");
        signIn("marketer", "second-password");
        assertThat(driver.findElements(By.id("sign-out"))).hasSize(1);
        open("/console/audit");
        assertThat(id("audit").getText()).contains("user.password").contains("marketer");
    }

    @Test
    void theProgressBarFollowsAJsonLinesUploadWithoutReloadingThePage() throws Exception {
        long dbId = createDatabase("JSON Lines upload");
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            lines.append("{\"email\":\"jl").append(i).append("@example.com\",\"_fname\":\"Line ").append(i).append("\"}\n");
        }
        lines.append("{not json}\n");
        Path file = Files.createTempFile("roster-console-", ".jsonl");
        Files.writeString(file, lines);
        signInAsAdmin();
        open("/console/db/" + dbId);
        id("upload-file").sendKeys(file.toAbsolutePath().toString());
        id("upload-button").click();
        WebElement first = browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("import-progress")));
        String page = driver.getCurrentUrl();
        assertThat(first.getAttribute("class")).isEqualTo("running");
        // htmx swaps in the progress fragment every 500 ms until the import ends: the bar moves on one page
        java.util.Set<String> seen = new java.util.TreeSet<>();
        browser.waiting().withTimeout(java.time.Duration.ofSeconds(120)).pollingEvery(java.time.Duration.ofMillis(200))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> {
                    seen.add(d.findElement(By.id("import-bar")).getAttribute("value"));
                    return !d.findElements(By.id("import-done")).isEmpty();
                });
        seen.add(id("import-bar").getAttribute("value")); // the last swap may land between a read and the check
        assertThat(driver.getCurrentUrl()).isEqualTo(page);
        assertThat(seen).contains("100").hasSizeGreaterThan(1);
        assertThat(id("import-imported").getText()).isEqualTo("20000");
        assertThat(id("import-rejected").getText()).isEqualTo("1");
        assertThat(get(id("rejected-report").getAttribute("href"))).contains("{not json}").contains("malformed JSON");
        Files.delete(file);
        assertThat(master().ok("databases/get", "{\"id\":" + dbId + "}").path("data").toString())
                .contains("\"profiles_count\":20000");
    }

    @Test
    void anIdleSessionEndsAndTheCookieIsSecureBehindTls() {
        signInAsAdmin();
        String cookie = "roster_session=" + driver.manage().getCookieNamed("roster_session").getValue();
        assertThat(server.send(server.request("/console/").header("Cookie", cookie).GET()).status()).isEqualTo(200);
        long idle = System.currentTimeMillis() - SessionService.IDLE.toMillis() - 1000;
        server.store().write(h -> h.execute("update console_sessions set seen_at = ?", idle));
        TestServer.Response after = server.send(server.request("/console/").header("Cookie", cookie).GET());
        assertThat(after.status()).isEqualTo(303);
        assertThat(after.headers().firstValue("Location").orElseThrow()).endsWith("/console/sign-in");
        long old = System.currentTimeMillis() - SessionService.MAX_AGE.toMillis() - 1000;
        signInAsAdmin();
        String second = "roster_session=" + driver.manage().getCookieNamed("roster_session").getValue();
        server.store().write(h -> h.execute("update console_sessions set created_at = ?", old));
        assertThat(server.send(server.request("/console/").header("Cookie", second).GET()).status()).isEqualTo(303);

        TestServer.Response proxied = server.send(server.request("/console/sign-in")
                .header("X-Forwarded-Proto", "https").GET());
        assertThat(proxied.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .contains("Secure").contains("HttpOnly").contains("SameSite=Strict"));
        TestServer.Response plain = server.send(server.request("/console/sign-in").GET());
        assertThat(plain.headers().allValues("Set-Cookie")).allSatisfy(c -> assertThat(c).doesNotContain("Secure"));
    }

    @Test
    void aTokenOpensNoConsoleAndASessionCallsNoApi() {
        TestServer.Response page = server.send(server.request("/console/")
                .header("Authorization", "Bearer " + server.masterToken()).GET());
        assertThat(page.status()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/console/sign-in");
        TestServer.Response withToken = server.send(server.request("/console/?token=" + server.masterToken()).GET());
        assertThat(withToken.status()).isEqualTo(303);

        signInAsAdmin();
        String cookie = driver.manage().getCookieNamed("roster_session").getValue();
        assertThat(driver.manage().getCookieNamed("roster_session").isHttpOnly()).isTrue();
        assertThat(driver.manage().getCookieNamed("roster_session").getSameSite()).isEqualTo("Strict");
        TestServer.Response api = server.send(server.request("/api/v1.1/databases/list")
                .header("Cookie", "roster_session=" + cookie).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(api.json().path("error").asInt()).isEqualTo(401);
        TestServer.Response console = server.send(server.request("/console/").header("Cookie", "roster_session=" + cookie).GET());
        assertThat(console.status()).isEqualTo(200);
        assertThat(console.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").contains("frame-ancestors 'none'");
    }
}
