package dev.roster.http;

import dev.roster.access.Caller;
import dev.roster.access.Permission;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The methods of {@code /api/v1.1/<group>/<method>}; each feature registers its own. */
public final class ApiRegistry {
    private final Map<String, ApiMethod<?>> methods = new TreeMap<>();

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

    public Map<String, Permission> permissions() {
        Map<String, Permission> out = new TreeMap<>();
        methods.forEach((name, method) -> out.put(name, method.permission()));
        return Collections.unmodifiableMap(out);
    }
}
