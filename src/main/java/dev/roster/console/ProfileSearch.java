package dev.roster.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import java.util.List;

/**
 * What the database page's filter builder needs of {@code profiles/list} and {@code profiles/count}: the console
 * builds the query document and hands it over unchanged, so the rules of the query language live only where the API
 * methods have them. Until a search service is wired in, {@link #UNAVAILABLE} makes the page say so.
 */
public interface ProfileSearch {
    /** A page of profiles in the profiles/get shape; {@code nextFromId} is null on the last page. */
    record Found(List<ObjectNode> profiles, String nextFromId) {
    }

    boolean available();

    /** profiles/list: {@code fields} null for all, {@code fromId} null for the first page. */
    Found list(Caller caller, long dbId, ObjectNode query, List<String> fields, String fromId, int limit);

    /** profiles/count. */
    long count(Caller caller, long dbId, ObjectNode query);

    ProfileSearch UNAVAILABLE = new ProfileSearch() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public Found list(Caller caller, long dbId, ObjectNode query, List<String> fields, String fromId, int limit) {
            throw new UnsupportedOperationException("profiles/list is not part of this build");
        }

        @Override
        public long count(Caller caller, long dbId, ObjectNode query) {
            throw new UnsupportedOperationException("profiles/count is not part of this build");
        }
    };
}
