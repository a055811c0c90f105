package dev.roster.profile;

import org.jdbi.v3.core.Handle;

/** The statements of profiles/merge and profiles/split that the other profile writes do not need. */
final class MergeSql {
    private MergeSql() {
    }

    /** Frees every key and lookup of the profile, so that another profile can claim them in the same transaction. */
    static void releaseKeys(Handle h, String profileId) {
        h.createUpdate("delete from profile_keys where profile_id = :id").bind("id", profileId).execute();
        h.createUpdate("delete from profile_lookups where profile_id = :id").bind("id", profileId).execute();
    }

    /** Gives a stored subscription to another profile of the same database, with the hash id of its new owner. */
    static void moveSubscription(Handle h, long subscriptionId, String toProfileId, String hashId) {
        h.createUpdate("update subscriptions set profile_id = :to, hash_id = :hash where id = :id")
                .bind("id", subscriptionId).bind("to", toProfileId).bind("hash", hashId).execute();
    }
}
