package dev.roster.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Permission;
import dev.roster.error.RosterException;
import dev.roster.history.HistoryModel.AllQuery;
import dev.roster.history.HistoryModel.Cursor;
import dev.roster.history.HistoryModel.Page;
import dev.roster.history.HistoryModel.Period;
import dev.roster.history.HistoryModel.ProfileQuery;
import dev.roster.http.ApiRegistry;
import dev.roster.request.Params;
import dev.roster.http.Reply;
import dev.roster.json.Json;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code subscribers/history_get} and {@code subscribers/history_get_all} (docs/API.md, Action history). */
public final class HistoryApi {
    /**
     * Rows of a page when {@code limit} is not sent (docs/COMPATIBILITY.md, Transport and envelope: lists page by
     * 1,000).
     */
    static final int DEFAULT_LIMIT = 1000;
    /** Most rows one page returns. */
    static final int MAX_LIMIT = 10_000;
    private static final Pattern XXH = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern CURSOR = Pattern.compile("(\\d{1,18}):(\\d{1,18})");
    /** The reference's cursor shape; only its start value (any date) is taken, as "from the first event". */
    private static final Pattern REFERENCE_START = Pattern.compile("0{16}\\.\\d{8}");
    /** The matching members of profiles/get, by which history_get finds the profile when no xxh is sent. */
    private static final String[] MATCHING = {"matching", "email", "phone", "profile_id", "provider", "subscription_id",
            "field_name", "field_value", "resource_id"};

    private HistoryApi() {
    }

    public static void register(ApiRegistry api, HistoryService history) {
        api.add("subscribers/history_get", Permission.HISTORY_READ, HistoryApi::profileQuery,
                (caller, query) -> answer(history.ofProfile(caller, query)));
        api.add("subscribers/history_get_all", Permission.HISTORY_READ, HistoryApi::allQuery,
                (caller, query) -> answer(history.ofDatabase(caller, query)));
    }

    private static Reply answer(Page page) {
        return Reply.data(page.rows()).with("next_from_id", page.next().wire());
    }

    private static ProfileQuery profileQuery(Params p) {
        long dbId = database(p);
        String xxh = p.optionalString("xxh");
        if (xxh != null && !XXH.matcher(xxh).matches()) {
            throw RosterException.invalid("xxh", "the profile's _xxh: 16 lowercase hex characters", "\"" + xxh + "\"");
        }
        ObjectNode matching = Json.object();
        for (String name : MATCHING) {
            JsonNode value = name.equals("resource_id") ? idNode(p.optionalId(name))
                    : name.equals("field_value") ? p.raw(name) : textNode(p.optionalString(name));
            if (value != null) {
                matching.set(name, value);
            }
        }
        if (xxh != null && !matching.isEmpty()) {
            throw RosterException.badRequest("send either 'xxh' or matching keys (" + String.join(", ",
                    matching.properties().stream().map(java.util.Map.Entry::getKey).toList()) + "), not both");
        }
        if (xxh == null && matching.isEmpty()) {
            throw RosterException.badRequest("missing required parameter 'xxh' (or the matching keys of profiles/get: "
                    + "matching, email, phone, profile_id, ...)");
        }
        if (!matching.has("matching") && matching.has("profile_id") && !matching.has("email")) {
            matching.put("matching", "profile_id"); // a profile id alone means that profile
        }
        return new ProfileQuery(dbId, xxh, matching, period(p, false), from(p),
                p.optionalInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    private static AllQuery allQuery(Params p) {
        long dbId = database(p);
        return new AllQuery(dbId, period(p, true), from(p), p.optionalInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
                p.optionalStringList("fields"));
    }

    /** {@code list_id} as the reference names the database here; {@code db_id} as the rest of the API does. */
    private static long database(Params p) {
        Long listId = p.optionalId("list_id");
        Long dbId = p.optionalId("db_id");
        if (listId != null && dbId != null && !listId.equals(dbId)) {
            throw RosterException.badRequest("'list_id' " + listId + " and 'db_id' " + dbId + " name different databases");
        }
        if (listId == null && dbId == null) {
            throw RosterException.missing("list_id");
        }
        return listId != null ? listId : dbId;
    }

    /**
     * {@code date_from} and {@code date_to} in any date form (docs/API.md, "Dates"): a bad form is a 400 here, before
     * anything is read; the service reads them in the database's time zone, and checks their order only then (a
     * zoneless bound may fall on either side of a zoned one depending on the zone).
     */
    private static Period period(Params p, boolean required) {
        Period period = new Period(sent(p, "date_from", required), sent(p, "date_to", required));
        period.fromMs(ZoneOffset.UTC);
        period.toMs(ZoneOffset.UTC);
        return period;
    }

    private static JsonNode sent(Params p, String name, boolean required) {
        JsonNode value = p.raw(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw RosterException.missing(name);
            }
            return null;
        }
        return value;
    }

    /**
     * The cursor: a previous page's {@code next_from_id} ({@code "<tx>:<id>"}, see {@link Cursor}), 0, or the
     * reference's start value {@code "0000000000000000.20010101"}; absent means from the first event.
     */
    private static Cursor from(Params p) {
        JsonNode node = p.raw("from_id");
        if (node == null || node.isNull() || node.isIntegralNumber() && node.canConvertToLong() && node.longValue() == 0) {
            return Cursor.START;
        }
        if (node.isTextual()) {
            String text = node.textValue().strip();
            Matcher cursor = CURSOR.matcher(text);
            if (cursor.matches()) {
                return new Cursor(Long.parseLong(cursor.group(1)), Long.parseLong(cursor.group(2)));
            }
            if (text.equals("0") || REFERENCE_START.matcher(text).matches()) {
                return Cursor.START;
            }
        }
        throw RosterException.invalid("from_id", "the next_from_id of a previous page (\"<tx>:<id>\"), 0 or the start "
                + "value \"0000000000000000.20010101\"", node);
    }

    private static JsonNode textNode(String value) {
        return value == null ? null : Json.MAPPER.getNodeFactory().textNode(value);
    }

    private static JsonNode idNode(Long value) {
        return value == null ? null : Json.MAPPER.getNodeFactory().numberNode(value);
    }
}
