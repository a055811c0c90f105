package dev.roster.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.catalog.CatalogModel.Schema;
import dev.roster.catalog.DatabaseService;
import dev.roster.error.RosterException;
import dev.roster.history.ProfileFinder;
import dev.roster.profile.ProfileModel.MatchRequest;
import dev.roster.store.Store;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** The profiles history_get and history_get_all show: found by matching as profiles/get finds them. */
public final class HistoryProfiles implements ProfileFinder {
    private final DatabaseService databases;
    private final Matcher matcher;

    public HistoryProfiles(Store store, DatabaseService databases) {
        this.databases = databases;
        this.matcher = new Matcher(store);
    }

    @Override
    public Found find(Handle h, Caller caller, long dbId, ObjectNode matching) {
        Schema schema = databases.schema(h, caller, dbId);
        MatchRequest match = new MatchRequest(Matching.parseOrNull(text(matching, "matching")), text(matching, "email"),
                text(matching, "phone"), text(matching, "profile_id"), text(matching, "provider"),
                text(matching, "subscription_id"), text(matching, "field_name"), matching.get("field_value"),
                matching.hasNonNull("resource_id") ? matching.get("resource_id").longValue() : null);
        String id = matcher.find(h, schema, match, null).orElseThrow(() -> match.notFound(dbId));
        ProfileSql.ProfileRow row = ProfileSql.readProfile(h, dbId, id)
                .orElseThrow(() -> RosterException.notFound("profile " + id + " not found in database " + dbId));
        return new Found(id, ObjectIds.xxh(id), row.data());
    }

    @Override
    public Map<String, ObjectNode> fields(Handle h, long dbId, Collection<String> profileIds) {
        Map<String, ObjectNode> out = new HashMap<>();
        List<String> sorted = profileIds.stream().distinct().sorted().toList();
        for (ProfileSql.ProfileRow row : BatchSql.readProfiles(h, sorted)) {
            if (row.dbId() == dbId) {
                out.put(row.id(), row.data());
            }
        }
        return out;
    }

    private static String text(ObjectNode members, String name) {
        JsonNode value = members.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }
}
