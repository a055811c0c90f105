package dev.roster.history;

/**
 * The names of history events ({@code action} in history_get rows). The reference's names are used where it has
 * one (Action Hooks event types: import_api, import_file, unsub, complain, hbounce); the others are Roster's own.
 * docs/API.md lists them all.
 */
public enum Action {
    /** A profile created through the API (import, add, the batch methods, quick import). Reference name. */
    IMPORT_API("import_api"),
    /** A profile created by {@code roster import} from a file. Reference name. */
    IMPORT_FILE("import_file"),
    /** Fields of the profile changed: detail.fields has each field's old and new value. */
    FIELDS_UPDATE("fields_update"),
    /** A subscription was added, with the status it got. */
    SUBSCRIPTION_ADD("subscription_add"),
    /** A subscription's priority, custom_fields or cats changed, its status did not. */
    SUBSCRIPTION_UPDATE("subscription_update"),
    /** A subscription was soft-deleted (subscriptions/delete). */
    SUBSCRIPTION_DELETE("subscription_delete"),
    /** A soft-deleted subscription was restored (subscriptions/undelete). */
    SUBSCRIPTION_RESTORE("subscription_restore"),
    /** Status became subscribed, from any status but suspended. */
    SUBSCRIBE("subscribe"),
    /** Status became unsubscribed. Reference name. */
    UNSUB("unsub"),
    /** Status became complained. Reference name. */
    COMPLAIN("complain"),
    /** Status became hardbounced. Reference name. */
    HBOUNCE("hbounce"),
    /** Status became unconfirmed. */
    UNCONFIRM("unconfirm"),
    /** Status became suspended (one subscription, or suspend_all). */
    SUSPEND("suspend"),
    /** Status went from suspended back to subscribed (one subscription, or unsuspend_all). */
    UNSUSPEND("unsuspend"),
    /** Status became invalid. */
    INVALIDATE("invalidate"),
    /** Other profiles were merged into this one (profiles/merge): detail.merged has their ids. */
    MERGE("merge"),
    /** This profile was merged into another and deleted: detail.profile_id names the one it went into. */
    MERGED_INTO("merged_into"),
    /** Keys of this profile were taken off into new profiles (profiles/split): detail.profiles has their ids. */
    SPLIT("split"),
    /** This profile was made by profiles/split: detail.profile_id names the profile it came from. */
    SPLIT_FROM("split_from"),
    /** The profile joined a static segment: detail.segment_id. */
    SEGMENT_ADD("segment_add"),
    /** The profile left a static segment: detail.segment_id. */
    SEGMENT_REMOVE("segment_remove");

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
