package dev.roster.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.account.AccountModel;
import dev.roster.account.AccountService;
import dev.roster.testing.ApiTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** Two accounts with the login admin each: the sign-in form asks for the account, and each admin sees only theirs. */
class ConsoleAccountsBrowserTest extends ApiTest {
    private static Browser browser;

    @AfterAll
    static void closeBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    private static void signIn(WebDriver driver, String account, String login, String password) {
        driver.get(server.url("/console/sign-in"));
        if (account != null) {
            driver.findElement(By.name("account")).sendKeys(account);
        }
        driver.findElement(By.id("login")).sendKeys(login);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("sign-in")).click();
        browser.waiting().until(d -> !d.findElements(By.id("sign-in-error")).isEmpty()
                || !d.findElements(By.id("sign-out")).isEmpty());
    }

    @Test
    void aLoginInSeveralAccountsSignsInWithItsAccount() {
        createDatabase("of the default account");
        AccountModel.NewAccount other = new AccountService(server.store(), (account, db) -> true,
                new dev.roster.account.Authentication(server.store(), new SimpleMeterRegistry())).createAccount("other");
        browser = new Browser();
        WebDriver driver = browser.driver;

        signIn(driver, null, "admin", server.adminPassword());
        assertThat(driver.findElement(By.id("sign-in-error")).getText()).contains("several accounts");
        browser.screenshot("sign-in-account", 1280);

        signIn(driver, "other", "admin", server.adminPassword());
        assertThat(driver.findElement(By.id("sign-in-error")).getText()).contains("Wrong login or password");

        signIn(driver, "other", "admin", other.password());
        assertThat(driver.findElements(By.id("sign-out"))).hasSize(1);
        assertThat(driver.findElement(By.tagName("main")).getText()).doesNotContain("of the default account")
                .contains("No database yet.");
    }
}
