package dev.roster.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The records of the profile feature: commands in, answers out. */
public final class ProfileModel {
    private ProfileModel() {
    }

    /**
     * The matching parameters as sent at the top level of a request, decoded once at the edge: the mode is parsed
     * there ({@code matching} null: not sent, which means {@link Matching#EMAIL} except where {@link #forWrite} says
     * otherwise); absent keys are read from {@code data} (see {@link MatchKeys}).
     */
    public record MatchRequest(Matching matching, String email, String phone, String profileId, String provider,
                               String subscriptionId, String fieldName, JsonNode fieldValue, Long resourceId) {
        /** profiles/add: no matching at all. */
        public static MatchRequest none() {
            return new MatchRequest(null, null, null, null, null, null, null, null, null);
        }

        /** Only a mode; every key comes from the data. */
        public static MatchRequest by(Matching mode) {
            return new MatchRequest(mode, null, null, null, null, null, null, null, null);
        }

        /** A mode and the custom field it matches by (custom, custom_sub), keys from the data. */
        public static MatchRequest byField(Matching mode, String fieldName, Long resourceId) {
            return new MatchRequest(mode, null, null, null, null, null, fieldName, null, resourceId);
        }

        public static MatchRequest byEmail(Matching mode, String email) {
            return new MatchRequest(mode, email, null, null, null, null, null, null, null);
        }

        public static MatchRequest byPhone(Matching mode, String phone) {
            return new MatchRequest(mode, null, phone, null, null, null, null, null, null);
        }

        public static MatchRequest byProfileId(String profileId) {
            return new MatchRequest(Matching.PROFILE_ID, null, null, profileId, null, null, null, null, null);
        }

        /**
         * The matching members of a request or queue message ({@code matching}, {@code email}, {@code phone},
         * {@code profile_id}, {@code provider}, {@code subscription_id}, {@code field_name}, {@code field_value},
         * {@code resource_id}); a bad {@code matching} is a 400 here, before anything else is done.
         */
        public static MatchRequest decode(dev.roster.request.Params p) {
            return new MatchRequest(Matching.parseOrNull(p.optionalString("matching")), p.optionalString("email"),
                    p.optionalString("phone"), p.optionalString("profile_id"), p.optionalString("provider"),
                    p.optionalString("subscription_id"), p.optionalString("field_name"), p.raw("field_value"),
                    p.optionalId("resource_id"));
        }

        /** The mode: {@code email} when none was sent. */
        public Matching mode() {
            return matching == null ? Matching.EMAIL : matching;
        }

        /** The match a write uses: the update methods that send {@code profile_id} without a mode match by it. */
        public MatchRequest forWrite(WriteMode mode) {
            if (mode == WriteMode.UPDATE && profileId != null && matching == null) {
                return new MatchRequest(Matching.PROFILE_ID, email, phone, profileId, provider, subscriptionId,
                        fieldName, fieldValue, resourceId);
            }
            return this;
        }

        /** The 404 of a match that found no profile of the database: one text everywhere. */
        public dev.roster.error.RosterException notFound(long dbId) {
            return dev.roster.error.RosterException.notFound("profile not found in database " + dbId + " by matching '"
                    + mode().wireName() + "'");
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
    /**
     * How a batch takes its turn after the one before it (roster import writes two at once): {@code beforeLocking}
     * waits, before the batch locks or claims anything, until the batch before it holds what it writes; {@code holding}
     * tells the batch after it that this one does (see ProfileService#writeBatch). Both may run more than once.
     */
    public record BatchTurn(Runnable beforeLocking, Runnable holding) {
        public static final BatchTurn ALONE = new BatchTurn(() -> { }, () -> { });
    }

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
