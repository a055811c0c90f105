package dev.roster.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.query.ProfileQueryService;
import java.util.List;

/**
 * What the database page's filter builder needs of {@code profiles/list} and {@code profiles/count}: the console
 * builds the query document and hands it over unchanged, so the rules of the query language live only where the API
 * methods have them (the query service).
 */
public interface ProfileSearch {
    /** A page of profiles in the profiles/get shape; {@code nextFromId} is null on the last page. */
    record Found(List<ObjectNode> profiles, String nextFromId) {
    }

    /** profiles/list: {@code fields} null for all, {@code fromId} null for the first page. */
    default Found list(Caller caller, long dbId, ObjectNode query, List<String> fields, String fromId, int limit) {
        return list(caller, dbId, null, query, fields, fromId, limit);
    }

    /** profiles/list with {@code segment_id} (null: the whole database). */
    Found list(Caller caller, long dbId, Long segmentId, ObjectNode query, List<String> fields, String fromId, int limit);

    /** profiles/count. */
    default long count(Caller caller, long dbId, ObjectNode query) {
        return count(caller, dbId, null, query);
    }

    /** profiles/count with {@code segment_id}. */
    long count(Caller caller, long dbId, Long segmentId, ObjectNode query);

    /** The API's query service behind the console's filter. */
    static ProfileSearch over(ProfileQueryService queries) {
        return new ProfileSearch() {
            @Override
            public Found list(Caller caller, long dbId, Long segmentId, ObjectNode query, List<String> fields,
                              String fromId, int limit) {
                ProfileQueryService.Page page = queries.list(caller, dbId, segmentId, query, fields, fromId, limit);
                return new Found(page.profiles(), page.nextFromId());
            }

            @Override
            public long count(Caller caller, long dbId, Long segmentId, ObjectNode query) {
                return queries.count(caller, dbId, segmentId, query);
            }
        };
    }
}
