package dev.roster.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.DatabaseService;
import dev.roster.error.RosterException;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel.StoredProfile;
import dev.roster.profile.ProfileService;
import dev.roster.query.Query.Node;
import dev.roster.store.InvalidPatternException;
import dev.roster.store.QueryTimeoutException;
import dev.roster.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * profiles/list and profiles/count: a query (and optionally a segment) over one database's profiles, one SQL
 * statement per page, keyset-paged by profile id. Knows nothing of HTTP: the console calls it too.
 */
public final class ProfileQueryService {
    public static final int MAX_LIMIT = 1_000;
    private static final Pattern PROFILE_ID = Pattern.compile("[0-9a-f]{24}");

    /** What a segment adds to a query: its static members, or its own query (a dynamic segment). */
    public record SegmentScope(Long staticSegmentId, JsonNode query) {
    }

    /** Resolves a segment of the database for the caller (404 when it is not there). */
    public interface SegmentScopes {
        SegmentScope resolve(Handle h, Caller caller, long dbId, long segmentId);
    }

    /** A page: the profiles, and the cursor of the next page (null on the last one). */
    public record Page(List<ObjectNode> profiles, String nextFromId) {
    }

    private final Store store;
    private final DatabaseService databases;
    private volatile SegmentScopes segments = (h, caller, dbId, id) -> {
        throw RosterException.notFound("segment " + id + " not found");
    };

    public ProfileQueryService(Store store, DatabaseService databases) {
        this.store = store;
        this.databases = databases;
    }

    /** Wires the segment feature in (it depends on this service, so it cannot be a constructor argument). */
    public void useSegments(SegmentScopes scopes) {
        this.segments = scopes;
    }

    public Page list(Caller caller, long dbId, JsonNode query, List<String> fields, String fromId, int limit) {
        return list(caller, dbId, null, query, fields, fromId, limit);
    }

    /** A page of the profiles of the database (of the segment, when {@code segmentId} is not null) the query matches. */
    public Page list(Caller caller, long dbId, Long segmentId, JsonNode query, List<String> fields, String fromId,
                     int limit) {
        Rendered<ObjectNode> page = read(caller, dbId, segmentId, query, fields, fromId, limit, (h, rows, projection) -> {
            List<ObjectNode> profiles = ProfileService.render(h, rows.stream().map(QuerySql.Row::profile).toList(),
                    projection == null || projection.contains("subscriptions"));
            return projection == null ? profiles : profiles.stream().map(p -> project(p, projection)).toList();
        });
        return new Page(page.profiles(), page.nextFromId());
    }

    /** A page for the API: the same profiles, whole ones as JSON text written as is (Json.raw), not as trees. */
    public ApiPage listForApi(Caller caller, long dbId, Long segmentId, JsonNode query, List<String> fields,
                              String fromId, int limit) {
        Rendered<JsonNode> page = read(caller, dbId, segmentId, query, fields, fromId, limit, (h, rows, projection) -> {
            if (projection == null) {
                return ProfileService.renderRaw(h, rows.stream().map(QuerySql.Row::profile).toList(),
                        rows.stream().map(QuerySql.Row::email).toList());
            }
            List<ObjectNode> profiles = ProfileService.render(h, rows.stream().map(QuerySql.Row::profile).toList(),
                    projection.contains("subscriptions"));
            return profiles.stream().map(p -> (JsonNode) project(p, projection)).toList();
        });
        return new ApiPage(page.profiles(), page.nextFromId());
    }

    /** A page as the API writes it: profiles as trees or as JSON text (Json.raw). */
    public record ApiPage(List<JsonNode> profiles, String nextFromId) {
    }

    private interface Renderer<T> {
        List<T> render(Handle h, List<QuerySql.Row> rows, List<String> projection);
    }

    private record Rendered<T>(List<T> profiles, String nextFromId) {
    }

    private <T> Rendered<T> read(Caller caller, long dbId, Long segmentId, JsonNode query, List<String> fields,
                                 String fromId, int limit, Renderer<T> renderer) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw RosterException.invalid("limit", "an integer from 1 to " + MAX_LIMIT, limit);
        }
        String after = decodeCursor(fromId);
        return limited(h -> {
            Schema schema = databases.schema(h, caller, dbId);
            List<String> projection = fields == null ? null : fields.stream()
                    .map(f -> QueryParser.projectionField(schema, f)).toList();
            Prepared prepared = prepare(h, caller, schema, segmentId, query);
            List<QuerySql.Row> rows = QuerySql.page(h, store.querySyntax(), prepared.scope(), prepared.node(), after,
                    limit + 1);
            boolean more = rows.size() > limit;
            if (more) {
                rows = rows.subList(0, limit);
            }
            String next = more ? encodeCursor(rows.get(rows.size() - 1).profile().id()) : null;
            return new Rendered<>(renderer.render(h, rows, projection), next);
        });
    }

    public long count(Caller caller, long dbId, JsonNode query) {
        return count(caller, dbId, null, query);
    }

    /** How many profiles of the database (of the segment) the query matches, exactly. */
    public long count(Caller caller, long dbId, Long segmentId, JsonNode query) {
        return limited(h -> {
            Schema schema = databases.schema(h, caller, dbId);
            Prepared prepared = prepare(h, caller, schema, segmentId, query);
            return QuerySql.count(h, store.querySyntax(), prepared.scope(), prepared.node());
        });
    }

    /** Checks a query against the database's fields (a 400 naming what is wrong), e.g. a dynamic segment's. */
    public void validate(Handle h, Schema schema, JsonNode query) {
        QueryParser.parse(query, schema);
    }

    /** The number of profiles of a segment inside another feature's transaction (no time limit of its own). */
    public long count(Handle h, Schema schema, SegmentScope scope) {
        Node node = QueryParser.parse(scope.query(), schema);
        return QuerySql.count(h, store.querySyntax(), new QuerySql.Scope(schema.dbId(), scope.staticSegmentId()), node);
    }

    /** Subscriptions of a resource among a segment's profiles, by channel, status and deletion, in the caller's handle. */
    public List<dev.roster.catalog.CounterService.Count> subscriptionCounts(Handle h, Schema schema, SegmentScope scope,
                                                                           long resourceId) {
        Node node = QueryParser.parse(scope.query(), schema);
        return QuerySql.subscriptionCounts(h, store.querySyntax(), new QuerySql.Scope(schema.dbId(),
                scope.staticSegmentId()), node, resourceId);
    }

    /** Runs {@code work} as a read held to the query time limit, translating its failures to answers. */
    public <T> T readLimited(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        return limited(work);
    }

    /** How the store would run the query's first page: the lines of its plan (tests and the bench show indexes). */
    public List<String> explain(Caller caller, long dbId, JsonNode query) {
        return limited(h -> {
            Schema schema = databases.schema(h, caller, dbId);
            return QuerySql.explain(h, store.querySyntax(), new QuerySql.Scope(dbId, null), QueryParser.parse(query, schema));
        });
    }

    private record Prepared(QuerySql.Scope scope, Node node) {
    }

    private Prepared prepare(Handle h, Caller caller, Schema schema, Long segmentId, JsonNode query) {
        Node node = QueryParser.parse(query, schema);
        Long staticSegment = null;
        if (segmentId != null) {
            SegmentScope scope = segments.resolve(h, caller, schema.dbId(), segmentId);
            staticSegment = scope.staticSegmentId();
            if (scope.query() != null) {
                node = new Query.All(List.of(QueryParser.parse(scope.query(), schema), node));
            }
        }
        return new Prepared(new QuerySql.Scope(schema.dbId(), staticSegment), node);
    }

    private <T> T limited(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        try {
            return store.readLimited(work);
        } catch (QueryTimeoutException e) {
            throw RosterException.badRequest("the query ran longer than the limit of " + e.limitMillis()
                    + " ms (--query-timeout) and was stopped: narrow it, or index the fields it filters on");
        } catch (InvalidPatternException e) {
            throw RosterException.badRequest("the store refused a regular expression of the query: " + e.getMessage());
        }
    }

    private static ObjectNode project(ObjectNode profile, List<String> fields) {
        ObjectNode out = Json.object();
        out.set("id", profile.get("id"));
        for (String f : fields) {
            JsonNode value = profile.get(f);
            if (value != null) {
                out.set(f, value);
            }
        }
        return out;
    }

    /** The cursor of the page after the profile {@code lastId}; opaque to clients. */
    static String encodeCursor(String lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + lastId).getBytes(StandardCharsets.UTF_8));
    }

    /** The profile id a page starts after; null for the first page. A bare profile id is taken too. */
    static String decodeCursor(String fromId) {
        if (fromId == null || fromId.isEmpty()) {
            return null;
        }
        if (PROFILE_ID.matcher(fromId).matches()) {
            return fromId;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(fromId), StandardCharsets.UTF_8);
            if (text.startsWith("after:") && PROFILE_ID.matcher(text.substring(6)).matches()) {
                return text.substring(6);
            }
        } catch (IllegalArgumentException e) {
            // not ours: refused below
        }
        throw RosterException.invalid("from_id", "the next_from_id of a previous page", "\"" + fromId + "\"");
    }

}
