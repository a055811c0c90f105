package dev.roster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.http.HttpSettings;
import dev.roster.json.Json;
import dev.roster.testing.PomVersion;
import dev.roster.testing.RosterCli;
import dev.roster.testing.RosterCli.Run;
import dev.roster.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management commands of the command line: accounts, users, tokens, backup, and what a missing store does. */
@Tag("api")
class ManagementCommandsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static JsonNode call(RosterApp app, String token, String method, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/api/v1.1/" + method))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }

    /** The rows of a tab-separated table (header first). */
    private static List<List<String>> table(String out) {
        return out.lines().map(l -> List.of(l.split("\t"))).toList();
    }

    @Test
    void withoutArgumentsItPrintsUsageAndFailsAndVersionIsThePoms() {
        Run none = RosterCli.run(List.of());
        assertThat(none.exit()).isNotZero();
        assertThat(none.err()).contains("Usage: roster").contains("serve").contains("backup").contains("user");
        Run version = RosterCli.run(List.of("--version"));
        assertThat(version.exit()).isZero();
        assertThat(version.out().strip()).isEqualTo("roster " + PomVersion.read());
    }

    @Test
    void commandsOnAMissingStoreSayWhereTheyLookedAndCreateNothing() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup()) {
            Path csv = dir.resolve("people.csv");
            Files.writeString(csv, "email\na@example.com\n");
            List<List<String>> commands = List.of(
                    RosterCli.on(fresh, "account", "list"),
                    RosterCli.on(fresh, "account", "create", "--name", "acme"),
                    RosterCli.on(fresh, "user", "list"),
                    RosterCli.on(fresh, "user", "passwd", "--login", "admin"),
                    RosterCli.on(fresh, "token", "list"),
                    RosterCli.on(fresh, "token", "revoke", "1"),
                    RosterCli.on(fresh, "import", csv.toString(), "--db-id", "1"),
                    RosterCli.on(fresh, "export", "--db-id", "1", "--out", dir.resolve("out.csv").toString()),
                    RosterCli.on(fresh, "backup", "--out", dir.resolve("copy.db").toString()));
            for (List<String> command : commands) {
                Run run = RosterCli.run(command);
                assertThat(run.exit()).as(String.join(" ", command)).isEqualTo(1);
                assertThat(run.out()).as(String.join(" ", command)).isEmpty();
                assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
                if (TestStores.isPostgres()) {
                    assertThat(run.err()).startsWith("roster: no Roster store in jdbc:postgresql:");
                } else {
                    assertThat(run.err()).startsWith("roster: no Roster store at "
                            + fresh.settings().dataDir().resolve("roster.db").toAbsolutePath().normalize());
                }
            }
            assertThat(dir.resolve("out.csv")).doesNotExist();
            assertThat(dir.resolve("copy.db")).doesNotExist();
            if (TestStores.isPostgres()) {
                try (Connection c = DriverManager.getConnection(fresh.settings().dbUrl());
                     ResultSet rs = c.createStatement().executeQuery(
                             "select count(*) from information_schema.tables where table_schema = 'public'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("tables created in the empty database").isZero();
                }
            } else {
                assertThat(fresh.settings().dataDir().resolve("roster.db")).doesNotExist();
            }
        }
    }

    @Test
    void accountsUsersAndTokensAreManagedFromTheShell() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup()) {
            Run first = RosterCli.run(RosterCli.on(fresh, "token", "create", "--login", "admin"));
            assertThat(first.exit()).as(first.err()).isZero();
            String defaultToken = first.out().strip();
            Run acme = RosterCli.run(RosterCli.on(fresh, "account", "create", "--name", "acme"));
            assertThat(acme.exit()).as(acme.err()).isZero();

            Run accounts = RosterCli.run(RosterCli.on(fresh, "account", "list"));
            assertThat(accounts.exit()).isZero();
            List<List<String>> rows = table(accounts.out());
            assertThat(rows.get(0)).containsExactly("ID", "NAME", "CREATED", "USERS", "TOKENS");
            assertThat(rows).hasSize(3);
            assertThat(rows.get(1).get(1)).isEqualTo("default");
            assertThat(rows.get(2).get(1)).isEqualTo("acme");
            assertThat(rows.get(2).get(3)).isEqualTo("1");
            long acmeId = Long.parseLong(rows.get(2).get(0));
            assertThat(acmeId).isNotEqualTo(Long.parseLong(rows.get(1).get(0)));

            Run ci = RosterCli.run(RosterCli.on(fresh, "token", "create", "--account", "acme", "--login", "admin",
                    "--name", "ci"));
            assertThat(ci.exit()).as(ci.err()).isZero();
            String ciToken = ci.out().strip();
            assertThat(ciToken).matches("[0-9a-f]{32}");
            Run noAccount = RosterCli.run(RosterCli.on(fresh, "token", "create", "--account", "nope", "--login", "admin"));
            assertThat(noAccount.exit()).isEqualTo(1);
            assertThat(noAccount.err()).contains("account 'nope' does not exist");

            Run tokens = RosterCli.run(RosterCli.on(fresh, "token", "list", "--account", "acme"));
            assertThat(tokens.exit()).isZero();
            assertThat(tokens.out()).contains("\tci\tadmin\t").doesNotContain(ciToken).doesNotContain(defaultToken);
            String ciId = table(tokens.out()).stream().filter(r -> r.get(1).equals("ci")).findFirst().orElseThrow().get(0);
            String defaultTokens = RosterCli.run(RosterCli.on(fresh, "token", "list")).out();
            assertThat(defaultTokens).doesNotContain("\tci\t");

            Run bob = RosterCli.run(RosterCli.on(fresh, "user", "create", "--account", "acme", "--login", "bob"));
            assertThat(bob.exit()).as(bob.err()).isZero();
            assertThat(bob.out().strip()).hasSize(16);
            Run users = RosterCli.run(RosterCli.on(fresh, "user", "list", "--account", "acme"));
            assertThat(table(users.out())).extracting(r -> r.get(1)).containsExactly("LOGIN", "admin", "bob");
            assertThat(table(RosterCli.run(RosterCli.on(fresh, "user", "list")).out())).hasSize(2);

            String hashBefore = passwordHash(fresh, "bob");
            Run passwd = RosterCli.run(RosterCli.on(fresh, "user", "passwd", "--account", "acme", "--login", "bob"));
            assertThat(passwd.exit()).as(passwd.err()).isZero();
            assertThat(passwd.out().strip()).hasSize(16).isNotEqualTo(bob.out().strip());
            assertThat(passwordHash(fresh, "bob")).isNotEqualTo(hashBefore);
            String hashAfter = passwordHash(fresh, "bob");
            Run chosen = RosterCli.run(RosterCli.on(fresh, "user", "passwd", "--account", "acme", "--login", "bob",
                    "--password-stdin"), "a-long-enough-password\n");
            assertThat(chosen.exit()).as(chosen.err()).isZero();
            assertThat(chosen.out()).isEmpty();
            assertThat(passwordHash(fresh, "bob")).isNotEqualTo(hashAfter);
            String beforeShort = passwordHash(fresh, "bob");
            Run tooShort = RosterCli.run(RosterCli.on(fresh, "user", "passwd", "--account", "acme", "--login", "bob",
                    "--password-stdin"), "short\n");
            assertThat(tooShort.exit()).isEqualTo(1);
            assertThat(tooShort.err()).contains("password").contains("at least 8 characters");
            assertThat(passwordHash(fresh, "bob")).isEqualTo(beforeShort);
            assertThat(RosterCli.run(RosterCli.on(fresh, "user", "passwd", "--login", "bob")).err())
                    .contains("user 'bob' does not exist");

            try (RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
                assertThat(call(app, ciToken, "databases/list", "{}").path("error").asInt()).isZero();
                // a token id of another account is not found there
                String defaultId = table(defaultTokens).get(1).get(0);
                Run foreign = RosterCli.run(RosterCli.on(fresh, "token", "revoke", defaultId, "--account", "acme"));
                assertThat(foreign.exit()).isEqualTo(1);
                assertThat(foreign.err()).contains("token " + defaultId + " not found");
                assertThat(call(app, defaultToken, "databases/list", "{}").path("error").asInt()).isZero();

                Run revoke = RosterCli.run(RosterCli.on(fresh, "token", "revoke", ciId, "--account", "acme"));
                assertThat(revoke.exit()).as(revoke.err()).isZero();
                // another process revoked it: this server's token cache forgets it within seconds
                java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
                while (call(app, ciToken, "databases/list", "{}").path("error").asInt() != 401) {
                    assertThat(java.time.Instant.now()).isBefore(deadline);
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
                }
                assertThat(table(RosterCli.run(RosterCli.on(fresh, "token", "list", "--account", "acme")).out())
                        .stream().filter(r -> r.get(0).equals(ciId)).findFirst().orElseThrow().get(7)).isNotEqualTo("-");
            }
        }
    }

    private static String passwordHash(TestStores.FreshStore fresh, String login) throws Exception {
        String url = fresh.settings().dbUrl() != null ? fresh.settings().dbUrl()
                : "jdbc:sqlite:" + fresh.settings().dataDir().resolve("roster.db");
        try (Connection c = DriverManager.getConnection(url);
             var statement = c.prepareStatement("select password_hash from users where login = ?")) {
            statement.setString(1, login);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    @Test
    void backupCopiesASqliteStoreWhileTheServerImportsAndSendsPostgresqlToPgDump() throws Exception {
        TestStores.FreshStore fresh = TestStores.fresh();
        try (AutoCloseable cleanup = fresh.cleanup();
             RosterApp app = RosterApp.start(fresh.settings(), HttpSettings.defaults(0))) {
            String token = app.bootstrap().orElseThrow().token();
            Path copy = dir.resolve("backup.db");
            if (TestStores.isPostgres()) {
                Run run = RosterCli.run(RosterCli.on(fresh, "backup", "--out", copy.toString()));
                assertThat(run.exit()).isEqualTo(2);
                assertThat(run.err()).contains("pg_dump");
                assertThat(copy).doesNotExist();
                return;
            }
            long db = call(app, token, "databases/create", "{\"name\":\"busy\"}").path("data").path("id").asLong();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger imported = new AtomicInteger();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            JsonNode r = call(app, token, "profiles/import", "{\"db_id\":" + db + ",\"data\":{\"email\":\"w"
                                    + writer + "-" + i + "@example.com\",\"_fname\":\"N" + i + "\"}}");
                            if (r.path("error").asInt() == 0) {
                                imported.incrementAndGet();
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
            }
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
            while (imported.get() < 200) {
                assertThat(java.time.Instant.now()).isBefore(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
            }
            Run run = RosterCli.run(RosterCli.on(fresh, "backup", "--out", copy.toString()));
            int during = imported.get();
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.err()).contains("backed up to " + copy);
            assertThat(imported.get()).as("imports went on while the copy was taken").isGreaterThan(200);

            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
                 var statement = c.createStatement()) {
                try (ResultSet rs = statement.executeQuery("pragma integrity_check")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("ok");
                }
                try (ResultSet rs = statement.executeQuery("pragma foreign_key_check")) {
                    assertThat(rs.next()).as("foreign key violations").isFalse();
                }
                try (ResultSet rs = statement.executeQuery("select count(*) from profiles")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isBetween(200L, (long) imported.get());
                }
            }
            assertThat(during).isPositive();
            // the copy is a store: a server starts on it and finds the profiles
            Path restored = dir.resolve("restored");
            Files.createDirectories(restored);
            Files.copy(copy, restored.resolve("roster.db"));
            try (RosterApp again = RosterApp.start(dev.roster.store.StoreSettings.sqlite(restored), HttpSettings.defaults(0))) {
                assertThat(again.bootstrap()).isEmpty();
                JsonNode profile = call(again, token, "profiles/get", "{\"db_id\":" + db + ",\"email\":\"w0-0@example.com\"}");
                assertThat(profile.path("data").path("_fname").asText()).isEqualTo("N0");
            }
            Run twice = RosterCli.run(RosterCli.on(fresh, "backup", "--out", copy.toString()));
            assertThat(twice.exit()).isEqualTo(1);
            assertThat(twice.err()).contains("exists already");
        }
    }
}
