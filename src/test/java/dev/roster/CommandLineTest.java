package dev.roster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.http.HttpSettings;
import dev.roster.testing.TestServer;
import dev.roster.testing.TestStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line and the first start's bootstrap (README.md, The command line), on the store of this run. */
@Tag("api")
class CommandLineTest {

    record Run(int exit, String out, String err) {
    }

    private static synchronized Run roster(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new Main()).execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static List<String> storeArgs(TestStores.FreshStore fresh) {
        List<String> args = new ArrayList<>();
        if (fresh.settings().dbUrl() != null) {
            args.add("--db-url");
            args.add(fresh.settings().dbUrl());
        } else {
            args.add("--data");
            args.add(fresh.settings().dataDir().toString());
        }
        return args;
    }

    @Test
    void dataSurvivesARestartAndTheBootstrapHappensOnce() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup()) {
            String token;
            try (RosterApp first = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                assertThat(first.bootstrap()).isPresent();
                token = first.bootstrap().get().token();
                assertThat(token).matches("[0-9a-f]{32}");
                assertThat(first.bootstrap().get().password()).hasSize(16);
            }
            try (RosterApp second = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                assertThat(second.bootstrap()).isEmpty();
                var client = java.net.http.HttpClient.newHttpClient();
                var response = client.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + second.port() + "/api/v1.1/databases/list"))
                        .header("Authorization", "Bearer " + token)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void tokenCreatePrintsOnlyAWorkingTokenAndBootstrapsAnEmptyStore() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup()) {
            List<String> args = new ArrayList<>(List.of("token", "create", "--login", "admin", "--name", "ci"));
            args.addAll(storeArgs(fresh));
            Run run = roster(args.toArray(String[]::new));
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out().strip()).matches("[0-9a-f]{32}");
            assertThat(run.err()).contains("admin password");

            Run again = roster(args.toArray(String[]::new));
            assertThat(again.exit()).isZero();
            assertThat(again.err()).doesNotContain("admin password");
            assertThat(again.out().strip()).matches("[0-9a-f]{32}").isNotEqualTo(run.out().strip());

            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                assertThat(app.bootstrap()).isEmpty();
                var client = java.net.http.HttpClient.newHttpClient();
                var response = client.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + app.port() + "/api/v1.1/databases/create"))
                        .header("Authorization", "Bearer " + again.out().strip())
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"from cli token\"}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(response.body()).contains("\"error\":0");
            }
        }
    }

    @Test
    void tokenCreateForAnUnknownUserFails() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup()) {
            List<String> args = new ArrayList<>(List.of("token", "create", "--login", "nobody"));
            args.addAll(storeArgs(fresh));
            Run run = roster(args.toArray(String[]::new));
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).contains("user 'nobody' does not exist");
        }
    }

    @Test
    void accountCreatePrintsOnlyAMasterTokenOfANewIsolatedAccount() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup();
             RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
            String defaultToken = app.bootstrap().orElseThrow().token();
            List<String> args = new ArrayList<>(List.of("account", "create", "--name", "acme"));
            args.addAll(storeArgs(fresh));
            Run run = roster(args.toArray(String[]::new));
            assertThat(run.exit()).as(run.err()).isZero();
            String token = run.out().strip();
            assertThat(token).matches("[0-9a-f]{32}");
            assertThat(run.err()).contains("account 'acme'").contains("master user 'admin'").containsPattern("password: \\S{16}");

            var client = java.net.http.HttpClient.newHttpClient();
            java.util.function.BiFunction<String, String, String> call = (method, body) -> {
                try {
                    return client.send(java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create("http://127.0.0.1:" + app.port() + "/api/v1.1/" + method))
                            .header("Authorization", "Bearer " + token)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            assertThat(call.apply("databases/create", "{\"name\":\"acme-db\"}")).contains("\"error\":0");
            assertThat(call.apply("users/list", "{}")).contains("\"login\":\"admin\"").contains("\"master\":true");
            // the accounts see nothing of each other
            String defaultList = client.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + app.port() + "/api/v1.1/databases/list"))
                    .header("Authorization", "Bearer " + defaultToken)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(defaultList).contains("\"total_count\":0").doesNotContain("acme-db");
        }
    }

    @Test
    void accountCreateWithATakenNameIsAClearConflict() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup()) {
            List<String> bootstrap = new ArrayList<>(List.of("token", "create", "--login", "admin"));
            bootstrap.addAll(storeArgs(fresh));
            assertThat(roster(bootstrap.toArray(String[]::new)).exit()).isZero(); // only token create makes a store
            List<String> args = new ArrayList<>(List.of("account", "create", "--name", "twice"));
            args.addAll(storeArgs(fresh));
            assertThat(roster(args.toArray(String[]::new)).exit()).isZero();
            Run again = roster(args.toArray(String[]::new));
            assertThat(again.exit()).isEqualTo(3);
            assertThat(again.out()).isEmpty();
            assertThat(again.err().strip()).isEqualTo("roster: account 'twice' already exists (error 409)");

            List<String> bad = new ArrayList<>(List.of("account", "create", "--name", "no spaces"));
            bad.addAll(storeArgs(fresh));
            Run invalid = roster(bad.toArray(String[]::new));
            assertThat(invalid.exit()).isEqualTo(1);
            assertThat(invalid.out()).isEmpty();
            assertThat(invalid.err()).contains("invalid value of 'name'");
        }
    }

    @Test
    void unreachablePostgresqlIsOneClearLineAndANonZeroExit() {
        Run run = roster("serve", "--port", "0", "--db-url", "jdbc:postgresql://127.0.0.1:1/roster?user=postgres");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).startsWith("roster: cannot open jdbc:postgresql://127.0.0.1:1/roster")
                .doesNotContain("at org.").doesNotContain("Exception:");
    }

    @Test
    void aPortInUseIsNamedAndTheFirstStartBannerShowsTheRealPort() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup();
             RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
            List<String> args = new ArrayList<>(List.of("serve", "--port", Integer.toString(app.port())));
            args.addAll(storeArgs(fresh));
            Run run = roster(args.toArray(String[]::new));
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err().strip()).startsWith("roster: cannot start: 127.0.0.1:" + app.port() + ": ")
                    .contains("in use");
        }
        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        ServeCommand.printBootstrap(new dev.roster.account.AccountModel.Bootstrap("admin", "pw", "t0k"),
                new PrintStream(banner, true, StandardCharsets.UTF_8), "0.0.0.0", 18080);
        assertThat(banner.toString(StandardCharsets.UTF_8)).contains("http://127.0.0.1:18080/api/v1.1/databases/list")
                .doesNotContain("<port>");
    }

    @Test
    void flagsAlsoComeFromEnvironmentDefaults() {
        Run help = roster("serve", "--help");
        assertThat(help.out()).contains("ROSTER_PORT").contains("ROSTER_DATA").contains("ROSTER_DB_URL")
                .contains("--always-http-200").contains("ROSTER_MAX_BODY_BYTES").contains("ROSTER_MAX_STRING_CHARS")
                .contains("ROSTER_MAX_ARRAY_ITEMS").contains("ROSTER_RATE_LIMIT").contains("ROSTER_RATE_BURST")
                .contains("ROSTER_DRAIN_SECONDS").contains("--http-error-status").contains("ROSTER_HTTP_ERROR_STATUS");
    }

    @Test
    void serverAnswersOnItsPort() throws Exception {
        try (TestServer server = TestServer.start()) {
            assertThat(server.master().ok("databases/list", "{}").path("total_count").asLong()).isZero();
        }
    }
}
