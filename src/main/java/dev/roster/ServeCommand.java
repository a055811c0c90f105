package dev.roster;

import dev.roster.account.AccountModel.Bootstrap;
import dev.roster.event.EventSettings;
import dev.roster.http.HttpSettings;
import dev.roster.queue.QueueSettings;
import java.time.Duration;
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

    @Option(names = "--max-string-chars", defaultValue = "${env:ROSTER_MAX_STRING_CHARS:-65536}",
            description = "Longest string anywhere in a request body (error 400 beyond). Env ROSTER_MAX_STRING_CHARS. Default: ${DEFAULT-VALUE}")
    int maxStringChars;

    @Option(names = "--max-array-items", defaultValue = "${env:ROSTER_MAX_ARRAY_ITEMS:-10000}",
            description = "Most items in any array of a request body, tags and batches included (error 413 beyond). "
                    + "Env ROSTER_MAX_ARRAY_ITEMS. Default: ${DEFAULT-VALUE}")
    int maxArrayItems;

    @Option(names = "--rate-limit", defaultValue = "${env:ROSTER_RATE_LIMIT:-0}",
            description = "Requests per second per token unless the token has its own (0: unlimited). Env ROSTER_RATE_LIMIT. Default: ${DEFAULT-VALUE}")
    int rateLimit;

    @Option(names = "--rate-burst", defaultValue = "${env:ROSTER_RATE_BURST:-0}",
            description = "Requests a token may send at once before --rate-limit applies (0: the rate). Env ROSTER_RATE_BURST. Default: ${DEFAULT-VALUE}")
    int rateBurst;

    @Option(names = "--drain-seconds", defaultValue = "${env:ROSTER_DRAIN_SECONDS:-10}",
            description = "On SIGTERM, how long in-flight requests may take to finish. Env ROSTER_DRAIN_SECONDS. Default: ${DEFAULT-VALUE}")
    int drainSeconds;

    @Option(names = "--always-http-200", defaultValue = "${env:ROSTER_ALWAYS_HTTP_200:-false}",
            description = "Answer every request with HTTP 200 and the error only in the envelope, 413, 429, 500 and 503 "
                    + "included. Env ROSTER_ALWAYS_HTTP_200.")
    boolean alwaysHttp200;

    @Option(names = "--allow-data-wipe", defaultValue = "${env:ROSTER_ALLOW_DATA_WIPE:-false}",
            description = "Allow databases/wipe, which deletes every profile of a database. Env ROSTER_ALLOW_DATA_WIPE.")
    boolean allowDataWipe;
    @Option(names = "--http-error-status", defaultValue = "${env:ROSTER_HTTP_ERROR_STATUS:-false}",
            description = "Mirror every error code of the envelope as the HTTP status (by default errors are HTTP 200 "
                    + "except 413, 429, 500 and 503). Env ROSTER_HTTP_ERROR_STATUS.")
    boolean httpErrorStatus;

    @Option(names = "--amqp-url", paramLabel = "URL", defaultValue = "${env:ROSTER_AMQP_URL}",
            description = "Consume the RabbitMQ import queue at this broker, e.g. amqp://guest:guest@127.0.0.1:5672/ "
                    + "(docs/API.md). Env ROSTER_AMQP_URL. Default: no queue.")
    String amqpUrl;

    @Option(names = "--amqp-import-queue", paramLabel = "NAME", defaultValue = "${env:ROSTER_AMQP_IMPORT_QUEUE:-database_import}",
            description = "The queue of import messages. Env ROSTER_AMQP_IMPORT_QUEUE. Default: ${DEFAULT-VALUE}")
    String amqpImportQueue;

    @Option(names = "--amqp-result-queue", paramLabel = "NAME", defaultValue = "${env:ROSTER_AMQP_RESULT_QUEUE:-database_import_result}",
            description = "The queue results are published to. Env ROSTER_AMQP_RESULT_QUEUE. Default: ${DEFAULT-VALUE}")
    String amqpResultQueue;

    @Option(names = "--amqp-prefetch", paramLabel = "N", defaultValue = "${env:ROSTER_AMQP_PREFETCH:-256}",
            description = "Import messages in flight at once. Env ROSTER_AMQP_PREFETCH. Default: ${DEFAULT-VALUE}")
    int amqpPrefetch;

    @Option(names = "--amqp-events-exchange", paramLabel = "NAME", defaultValue = "${env:ROSTER_AMQP_EVENTS_EXCHANGE}",
            description = "Also publish every event to this RabbitMQ topic exchange at --amqp-url (routing key "
                    + "<db_id>.<type>, persistent, publisher confirms). Env ROSTER_AMQP_EVENTS_EXCHANGE. Default: none.")
    String amqpEventsExchange;

    @Option(names = "--webhook-allow-private", defaultValue = "${env:ROSTER_WEBHOOK_ALLOW_PRIVATE:-false}",
            description = "Let webhook URLs point at loopback and private addresses (on-premise receivers, tests). "
                    + "Env ROSTER_WEBHOOK_ALLOW_PRIVATE.")
    boolean webhookAllowPrivate;

    @Option(names = "--export-retention", paramLabel = "DURATION", defaultValue = "${env:ROSTER_EXPORT_RETENTION:-24h}",
            description = "How long export files (profiles/get_all) are kept, e.g. 24h, 30m, 7d. Env "
                    + "ROSTER_EXPORT_RETENTION. Default: ${DEFAULT-VALUE}")
    String exportRetention;

    @Option(names = "--no-console", defaultValue = "${env:ROSTER_NO_CONSOLE:-false}",
            description = "Do not serve the browser console at /console/. Env ROSTER_NO_CONSOLE.")
    boolean noConsole;

    @Mixin
    StoreOptions store;

    /** {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}, or an ISO-8601 duration such as {@code PT12H}. */
    static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)").matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--export-retention: expected a duration such as 24h, 30m or 7d, got '"
                    + text + "'");
        }
    }

    @Override
    public Integer call() {
        long start = System.nanoTime();
        RosterApp app;
        try {
            QueueSettings queue = amqpUrl == null || amqpUrl.isBlank() ? null
                    : new QueueSettings(amqpUrl, amqpImportQueue, amqpResultQueue, amqpPrefetch, maxBodyBytes,
                            Duration.ofSeconds(drainSeconds));
            boolean exchange = amqpEventsExchange != null && !amqpEventsExchange.isBlank();
            if (exchange && (amqpUrl == null || amqpUrl.isBlank())) {
                throw new IllegalArgumentException("--amqp-events-exchange needs --amqp-url");
            }
            EventSettings events = EventSettings.defaults().withAllowPrivate(webhookAllowPrivate)
                    .withExchange(exchange ? amqpUrl : null, exchange ? amqpEventsExchange : null);
            Duration retention = parseDuration(exportRetention);
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("--export-retention must be positive");
            }
            app = RosterApp.start(store.settings(),
                    new HttpSettings(bind, port, maxBodyBytes, maxDepth, maxStringChars, maxArrayItems, rateLimit,
                            rateBurst, drainSeconds, alwaysHttp200, httpErrorStatus),
                    RosterApp.Options.defaults().withQueue(queue).withDataWipe(allowDataWipe).withEvents(events)
                            .withExportRetention(retention).withConsole(!noConsole));
        } catch (StoreUnavailableException e) {
            System.err.println("roster: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            System.err.println("roster: invalid settings: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            String reason = rootMessage(e);
            // Jetty says only "Address already in use": name the address and port it was
            if (reason.contains("in use") || hasCause(e, java.net.BindException.class)) {
                reason = bind + ":" + port + ": " + reason + " (another process listens there; choose --port)";
            }
            System.err.println("roster: cannot start: " + reason);
            return 1;
        }
        app.bootstrap().ifPresent(b -> printBootstrap(b, System.out, bind, app.port()));
        long millis = (System.nanoTime() - start) / 1_000_000;
        log.info("Roster listening on http://{}:{} ({} store), ready in {} ms{}", bind, app.port(),
                app.store().describe(), millis, noConsole ? "" : "; console at /console/");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            app.close();
        }, "roster-shutdown"));
        return 0;
    }

    /** @param bind the address the server listens on; null when no server runs (token create) */
    static void printBootstrap(Bootstrap b, PrintStream out, String bind, int port) {
        out.println("First start: created account 'default' with master user '" + b.login() + "'.");
        out.println("  admin password: " + b.password());
        out.println("  master token:   " + b.token());
        if (bind == null) {
            out.println("They are shown this once; keep them safe.");
        } else {
            String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind.contains(":") ? "[" + bind + "]" : bind;
            out.println("They are shown this once; keep them safe. Example:");
            out.println("  curl -s -H 'Authorization: Bearer " + b.token() + "' -d '{}' "
                    + "http://" + host + ":" + port + "/api/v1.1/databases/list");
        }
        out.flush();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
