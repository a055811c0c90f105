package dev.roster.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import java.util.Collection;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * What reading history needs of profiles. The profile feature provides it: it writes history itself, so history
 * cannot call it without a cycle between the two packages.
 */
public interface ProfileFinder {
    /** A profile: its id, its {@code _xxh} and its stored fields. */
    record Found(String id, String xxh, ObjectNode data) {
    }

    /**
     * The one profile of the database that the matching members name, as profiles/get finds it: 404 when none, 400
     * for a missing or bad key, 409 when several match.
     *
     * @param matching {@code matching}, {@code email}, {@code phone}, {@code profile_id}, {@code provider},
     *                 {@code subscription_id}, {@code field_name}, {@code field_value}, {@code resource_id} as sent
     */
    Found find(Handle h, Caller caller, long dbId, ObjectNode matching);

    /** The stored fields of those of these profiles that the database still has. */
    Map<String, ObjectNode> fields(Handle h, long dbId, Collection<String> profileIds);
}
