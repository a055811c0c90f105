package dev.roster.http;

import dev.roster.request.Params;
import dev.roster.access.Caller;
import dev.roster.access.Permission;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The methods of {@code /api/v1.1/<group>/<method>}; each feature registers its own. */
public final class ApiRegistry {
    /** The name of {@code /api/integrations/any/profile_import} among the integrations. */
    public static final String QUICK_IMPORT = "any/profile_import";

    private final Map<String, ApiMethod<?>> methods = new TreeMap<>();
    private final Map<String, ApiMethod<?>> integrations = new TreeMap<>();
    private FileSource downloads;
    private dev.roster.idempotency.IdempotencyService idempotency;

    /**
     * Registers {@code group/method}.
     *
     * @param permission what the token needs; the caller's database reach is checked by the service
     * @param decode     reads the parameters into a typed command (and so marks them as known)
     * @param run        calls one service method and builds the reply
     */
    public <C> void add(String name, Permission permission, Function<Params, C> decode, BiFunction<Caller, C, Reply> run) {
        if (methods.putIfAbsent(name, new ApiMethod<>(name, permission, decode, run)) != null) {
            throw new IllegalStateException("method registered twice: " + name);
        }
    }

    ApiMethod<?> find(String name) {
        return methods.get(name);
    }

    /**
     * Registers a method served outside {@code /api/v1.1} (the quick import of {@code /api/integrations/...}); it is
     * not one of {@link #permissions()}.
     */
    public <C> void addIntegration(String name, Permission permission, Function<Params, C> decode,
                                   BiFunction<Caller, C, Reply> run) {
        if (integrations.putIfAbsent(name, new ApiMethod<>(name, permission, decode, run)) != null) {
            throw new IllegalStateException("integration registered twice: " + name);
        }
    }

    /** Serves {@code GET /api/download/data/<task>/<file>} from this source. */
    public void setDownloads(FileSource source) {
        this.downloads = source;
    }

    /** Keeps write methods' answers under idempotency keys (docs/API.md, "Idempotency keys"). */
    public void setIdempotency(dev.roster.idempotency.IdempotencyService service) {
        this.idempotency = service;
    }

    dev.roster.idempotency.IdempotencyService idempotency() {
        return idempotency;
    }

    /**
     * Whether a method changes something, so takes an idempotency key: every method but the reads (get, list, count,
     * status, history and deliveries).
     */
    static boolean isWrite(String name) {
        String method = name.substring(name.indexOf('/') + 1);
        return !(method.startsWith("get") || method.startsWith("list") || method.startsWith("history_get")
                || method.equals("count") || method.equals("status") || method.equals("fields_get")
                || method.equals("deliveries"));
    }

    FileSource downloads() {
        return downloads;
    }

    ApiMethod<?> findIntegration(String name) {
        return integrations.get(name);
    }

    public Map<String, Permission> permissions() {
        Map<String, Permission> out = new TreeMap<>();
        methods.forEach((name, method) -> out.put(name, method.permission()));
        return Collections.unmodifiableMap(out);
    }
}
