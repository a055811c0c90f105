package dev.roster.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The records of the profile feature: commands in, answers out. */
public final class ProfileModel {
    private ProfileModel() {
    }

    /** The matching parameters as sent at the top level of a request; absent keys are read from {@code data}. */
    public record MatchRequest(String matching, String email, String phone, String profileId, String provider,
                               String subscriptionId, String fieldName, JsonNode fieldValue, Long resourceId) {
        /** profiles/add: no matching at all. */
        public static MatchRequest none() {
            return new MatchRequest(null, null, null, null, null, null, null, null, null);
        }
    }

    /** What a write may do with the match: create or update (import), only update, or only create (add). */
    public enum WriteMode {
        IMPORT,
        UPDATE,
        ADD
    }

    /** Where writes come from, for the history event of a new profile: the API, or a file ({@code roster import}). */
    public enum Origin {
        API,
        FILE
    }

    /**
     * One profile write. {@code addToSegments} / {@code removeFromSegments}: static segments of the database the profile
     * joins or leaves in the same transaction (empty when none).
     */
    public record WriteCommand(long dbId, MatchRequest match, ObjectNode data, boolean skipInvalidSubscriptions,
                               java.util.List<Long> addToSegments, java.util.List<Long> removeFromSegments) {
        public WriteCommand(long dbId, MatchRequest match, ObjectNode data, boolean skipInvalidSubscriptions) {
            this(dbId, match, data, skipInvalidSubscriptions, java.util.List.of(), java.util.List.of());
        }

        public WriteCommand {
            addToSegments = addToSegments == null ? java.util.List.of() : java.util.List.copyOf(addToSegments);
            removeFromSegments = removeFromSegments == null ? java.util.List.of() : java.util.List.copyOf(removeFromSegments);
        }

        public boolean changesSegments() {
            return !addToSegments.isEmpty() || !removeFromSegments.isEmpty();
        }

        public WriteCommand withSegments(java.util.List<Long> add, java.util.List<Long> remove) {
            return new WriteCommand(dbId, match, data, skipInvalidSubscriptions, add, remove);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Skipped(int index, String channel, Long resourceId, String reason) {
    }

    /** @param changed whether the write changed anything (a create always does); a file import counts the rest unchanged */
    public record WriteResult(String profileId, boolean created, List<Skipped> skipped, boolean changed) {
        public WriteResult(String profileId, boolean created, List<Skipped> skipped) {
            this(profileId, created, skipped, true);
        }
    }

    /** The result of a write named by a receipt; {@code replayed}: applied before, nothing changed this time. */
    public record KeyedResult(WriteResult result, boolean replayed) {
    }

    public record Lookup(long dbId, MatchRequest match) {
    }

    public record Deleted(String profileId) {
    }

    /** One result of a batch method, in the order of the input items. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    /** @param changed not on the wire: whether the item changed anything, for the file import's summary */
    public record ItemResult(int error, String errorText, String profileId, Boolean created,
                             List<Skipped> skippedSubscriptions, List<Integer> batchDuplicates,
                             @com.fasterxml.jackson.annotation.JsonIgnore boolean changed) {
        public ItemResult(int error, String errorText, String profileId, Boolean created,
                          List<Skipped> skippedSubscriptions, List<Integer> batchDuplicates) {
            this(error, errorText, profileId, created, skippedSubscriptions, batchDuplicates, error == 0);
        }
    }

    /** A profile's row as another feature's statement reads it ({@code data} is the stored JSON text). */
    public record StoredProfile(String id, long dbId, String data, long createdAt, long updatedAt) {
    }
}
