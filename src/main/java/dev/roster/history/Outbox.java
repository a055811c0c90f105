package dev.roster.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The outbox (docs/API.md, "Events out"): every history event is also an outgoing event, written by the same statement
 * in the change's transaction. Readers (webhooks, the events exchange) read them in commit order after their cursor
 * and below {@link dev.roster.store.Store#commitHorizon}. A deleted profile's events leave its history with it but
 * stay owed to the readers: they move to a retained table until every reader has passed them.
 */
public final class Outbox {
    private Outbox() {
    }

    /** An outgoing event as stored; {@code contact} and {@code detail} are JSON text. */
    public record Event(long id, long tx, long dbId, String profileId, long at, String type, String tokenName,
                        Long resourceId, String channel, String hashId, String contact, String detail) {

        /** {@code {id, type, db_id, profile_id, time, detail, subscription?, token_name}}. */
        public ObjectNode json() {
            ObjectNode out = Json.object();
            out.put("id", id);
            out.put("type", type);
            out.put("db_id", dbId);
            out.put("profile_id", profileId);
            out.put("time", Instant.ofEpochMilli(at).toString());
            // the stored detail is JSON that Roster wrote: copied as text, not parsed and written again
            out.set("detail", detail == null ? Json.object() : Json.raw(detail));
            if (resourceId != null) {
                ObjectNode s = out.putObject("subscription");
                s.put("resource_id", resourceId);
                s.put("channel", channel);
                s.put("hash_id", hashId);
                if (contact != null) {
                    s.setAll((ObjectNode) Json.readStored(contact));
                }
            }
            out.put("token_name", tokenName);
            return out;
        }
    }

    /** Events after the cursor (tx, id), below the horizon, filtered (a null filter takes everything). */
    public static List<Event> after(Handle h, long horizon, Long accountId, List<Long> dbIds, List<String> types,
                                    long tx, long id, int limit) {
        return OutboxSql.after(h, horizon, accountId, dbIds, types, tx, id, limit);
    }

    /** The cursor {tx, id} of the last event below the horizon (a new reader starts there). */
    public static long[] end(Handle h, long horizon) {
        return OutboxSql.end(h, horizon);
    }

    /** Drops retained events of deleted profiles that every reader has passed; returns how many. */
    public static int dropDelivered(Handle h) {
        return OutboxSql.dropDelivered(h);
    }

    /** The wire names of the event types (the history actions). */
    public static List<String> types() {
        return java.util.Arrays.stream(Action.values()).map(Action::wireName).toList();
    }
}
