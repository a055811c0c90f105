package dev.roster;

import dev.roster.account.AccountModel.Bootstrap;
import dev.roster.http.HttpSettings;
import dev.roster.store.StoreUnavailableException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code roster serve}: runs the server until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Roster server.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--port", defaultValue = "${env:ROSTER_PORT:-8080}",
            description = "Port to listen on (0 picks a free one). Env ROSTER_PORT. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--bind", defaultValue = "${env:ROSTER_BIND:-127.0.0.1}",
            description = "Address to listen on. Env ROSTER_BIND. Default: ${DEFAULT-VALUE}")
    String bind;

    @Option(names = "--max-body-bytes", defaultValue = "${env:ROSTER_MAX_BODY_BYTES:-10485760}",
            description = "Largest request body; larger ones get error 413. Env ROSTER_MAX_BODY_BYTES. Default: ${DEFAULT-VALUE}")
    long maxBodyBytes;

    @Option(names = "--max-depth", defaultValue = "${env:ROSTER_MAX_DEPTH:-64}",
            description = "Deepest nesting of a JSON or XML body. Env ROSTER_MAX_DEPTH. Default: ${DEFAULT-VALUE}")
    int maxDepth;

    @Option(names = "--always-http-200", defaultValue = "${env:ROSTER_ALWAYS_HTTP_200:-false}",
            description = "Answer every request with HTTP 200 and the error only in the envelope. Env ROSTER_ALWAYS_HTTP_200.")
    boolean alwaysHttp200;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        RosterApp app;
        try {
            app = RosterApp.start(store.settings(),
                    new HttpSettings(bind, port, maxBodyBytes, maxDepth, alwaysHttp200));
        } catch (StoreUnavailableException e) {
            System.err.println("roster: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            System.err.println("roster: cannot start: " + rootMessage(e));
            return 1;
        }
        app.bootstrap().ifPresent(b -> printBootstrap(b, System.out));
        long millis = (System.nanoTime() - start) / 1_000_000;
        log.info("Roster listening on http://{}:{} ({} store), ready in {} ms", bind, app.port(),
                app.store().describe(), millis);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            app.close();
        }, "roster-shutdown"));
        return 0;
    }

    static void printBootstrap(Bootstrap b, PrintStream out) {
        out.println("First start: created account 'default' with master user '" + b.login() + "'.");
        out.println("  admin password: " + b.password());
        out.println("  master token:   " + b.token());
        out.println("They are shown this once; keep them safe. Example:");
        out.println("  curl -s -H 'Authorization: Bearer " + b.token() + "' -d '{}' "
                + "http://127.0.0.1:<port>/api/v1.1/databases/list");
        out.flush();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
