package dev.roster.profile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.catalog.Channel;
import dev.roster.json.Json;
import dev.roster.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.roster.store.SqlDialect;
import org.jdbi.v3.core.Handle;

/** The SQL of profiles, their identity keys, lookups and subscriptions. */
final class ProfileSql {
    private ProfileSql() {
    }

    record ProfileRow(String id, long dbId, ObjectNode data, long createdAt, long updatedAt) {
    }

    record Key(String kind, String value) {
    }

    private static ProfileRow profile(ResultSet rs) throws SQLException {
        return new ProfileRow(rs.getString(1), rs.getLong(2), (ObjectNode) Json.readStored(rs.getString(3)),
                rs.getLong(4), rs.getLong(5));
    }

    static void insertProfile(Handle h, String id, long dbId, ObjectNode data, long now) {
        h.createUpdate("insert into profiles (id, db_id, data, created_at, updated_at) values (:id, :db, :data, :now, :now)")
                .bind("id", id).bind("db", dbId).bind("data", Json.write(data)).bind("now", now).execute();
    }

    /** The profile of the database, locked for the rest of the transaction. */
    static Optional<ProfileRow> lockProfile(Handle h, long dbId, String id) {
        return h.createQuery("select id, db_id, data, created_at, updated_at from profiles where id = :id and db_id = :db"
                        + SqlDialect.of(h).forUpdate())
                .bind("id", id).bind("db", dbId).map((rs, ctx) -> profile(rs)).findOne();
    }

    /** The profile of the database, not locked: for reads. */
    static Optional<ProfileRow> readProfile(Handle h, long dbId, String id) {
        return h.createQuery("select id, db_id, data, created_at, updated_at from profiles where id = :id and db_id = :db")
                .bind("id", id).bind("db", dbId).map((rs, ctx) -> profile(rs)).findOne();
    }

    static void updateProfile(Handle h, String id, ObjectNode data, long now) {
        h.createUpdate("update profiles set data = :data, updated_at = :now where id = :id")
                .bind("id", id).bind("data", Json.write(data)).bind("now", now).execute();
    }

    static void deleteProfile(Handle h, String id) {
        // children first: SQLite enforces the foreign keys, and PostgreSQL then has nothing left to cascade
        h.createUpdate("delete from subscriptions where profile_id = :id").bind("id", id).execute();
        h.createUpdate("delete from profile_keys where profile_id = :id").bind("id", id).execute();
        h.createUpdate("delete from profile_lookups where profile_id = :id").bind("id", id).execute();
        h.createUpdate("delete from profiles where id = :id").bind("id", id).execute();
    }

    static Optional<String> keyOwner(Handle h, long dbId, String kind, String value) {
        return h.createQuery("select profile_id from profile_keys where db_id = :db and kind = :kind and value = :value")
                .bind("db", dbId).bind("kind", kind).bind("value", value).mapTo(String.class).findOne();
    }

    static List<Key> keysOf(Handle h, String profileId) {
        return h.createQuery("select kind, value from profile_keys where profile_id = :id")
                .bind("id", profileId).map((rs, ctx) -> new Key(rs.getString(1), rs.getString(2))).list();
    }

    /** Inserts the key unless any profile holds it; true when this call inserted it. */
    static boolean insertKey(Handle h, long dbId, Key key, String profileId) {
        return h.createUpdate("insert into profile_keys (db_id, kind, value, profile_id) values (:db, :kind, :value, :id) "
                        + "on conflict (db_id, kind, value) do nothing")
                .bind("db", dbId).bind("kind", key.kind()).bind("value", key.value()).bind("id", profileId)
                .execute() > 0;
    }

    static void deleteKey(Handle h, long dbId, Key key, String profileId) {
        h.createUpdate("delete from profile_keys where db_id = :db and kind = :kind and value = :value and profile_id = :id")
                .bind("db", dbId).bind("kind", key.kind()).bind("value", key.value()).bind("id", profileId).execute();
    }

    static List<Key> lookupsOf(Handle h, String profileId) {
        return h.createQuery("select kind, value from profile_lookups where profile_id = :id")
                .bind("id", profileId).map((rs, ctx) -> new Key(rs.getString(1), rs.getString(2))).list();
    }

    static void insertLookup(Handle h, long dbId, Key key, String profileId) {
        h.createUpdate("insert into profile_lookups (db_id, kind, value, profile_id) values (:db, :kind, :value, :id) "
                        + "on conflict do nothing")
                .bind("db", dbId).bind("kind", key.kind()).bind("value", key.value()).bind("id", profileId).execute();
    }

    static void deleteLookup(Handle h, long dbId, Key key, String profileId) {
        h.createUpdate("delete from profile_lookups where db_id = :db and kind = :kind and value = :value and profile_id = :id")
                .bind("db", dbId).bind("kind", key.kind()).bind("value", key.value()).bind("id", profileId).execute();
    }

    /** Up to {@code limit} profiles that the non-unique lookup names. */
    static List<String> lookupOwners(Handle h, long dbId, String kind, String value, int limit) {
        return h.createQuery("select profile_id from profile_lookups where db_id = :db and kind = :kind and value = :value "
                        + "order by profile_id limit :limit")
                .bind("db", dbId).bind("kind", kind).bind("value", value).bind("limit", limit)
                .mapTo(String.class).list();
    }

    /** Up to {@code limit} profiles with a subscription at that address, of one resource when {@code resourceId} is set. */
    static List<String> subscriptionOwners(Handle h, long dbId, Channel channel, String address, Long resourceId,
                                           int limit) {
        return h.createQuery("select distinct profile_id from subscriptions where db_id = :db and channel = :channel "
                        + "and address = :address" + (resourceId == null ? "" : " and resource_id = :resource")
                        + " order by profile_id limit :limit")
                .bind("db", dbId).bind("channel", channel.wireName()).bind("address", address)
                .bind("resource", resourceId).bind("limit", limit)
                .mapTo(String.class).list();
    }

    /** Up to {@code limit} profiles whose custom field has the value's text: a scan, for fields that are not unique. */
    static List<String> fieldOwners(Handle h, long dbId, String field, String valueText, int limit) {
        return h.createQuery("select id from profiles where db_id = :db and " + SqlDialect.of(h).jsonMemberText("data", "name")
                        + " = :value order by id limit :limit")
                .bind("db", dbId).bind("name", field).bind("value", valueText).bind("limit", limit)
                .mapTo(String.class).list();
    }


    /** Up to {@code limit} profiles whose custom field holds this number (compared by value): a scan, as above. */
    static List<String> numberOwners(Handle h, long dbId, String field, double value, int limit) {
        return h.createQuery("select id from profiles where db_id = :db and "
                        + SqlDialect.of(h).jsonMemberNumber("data", "name") + " = :value "
                        + "order by id limit :limit")
                .bind("db", dbId).bind("name", field).bind("value", value).bind("limit", limit)
                .mapTo(String.class).list();
    }

    /** Profiles whose field's JSON text contains the string, for tag matching (the caller compares exactly). */
    static List<ProfileRow> profilesWithText(Handle h, long dbId, String fragment, int limit) {
        return h.createQuery("select id, db_id, data, created_at, updated_at from profiles where db_id = :db "
                        + "and data like :fragment escape '\\' order by id limit :limit")
                .bind("db", dbId).bind("fragment", "%" + fragment.replace("\\", "\\\\").replace("%", "\\%")
                        .replace("_", "\\_") + "%").bind("limit", limit)
                .map((rs, ctx) -> profile(rs)).list();
    }

    static boolean profileExists(Handle h, long dbId, String id) {
        return h.createQuery("select count(*) from profiles where id = :id and db_id = :db")
                .bind("id", id).bind("db", dbId).mapTo(Integer.class).one() > 0;
    }

    private static Subscription subscription(ResultSet rs) throws SQLException {
        return subscription(rs, 0);
    }

    /** A subscription from {@link #SUBSCRIPTION_COLUMNS} starting after {@code offset} other columns. */
    static Subscription subscription(ResultSet rs, int offset) throws SQLException {
        List<String> cats = new ArrayList<>();
        Json.readStored(rs.getString(offset + 11)).forEach(c -> cats.add(c.asText()));
        return new Subscription(rs.getLong(offset + 1), rs.getLong(offset + 2),
                Channel.parse("channel", rs.getString(offset + 3)), rs.getString(offset + 4), rs.getString(offset + 5),
                (ObjectNode) Json.readStored(rs.getString(offset + 6)), SubscriptionStatus.ofNumber(rs.getInt(offset + 7)),
                Rows.nullableInt(rs, offset + 8), (ObjectNode) Json.readStored(rs.getString(offset + 9)), cats,
                rs.getBoolean(offset + 10), rs.getLong(offset + 12), rs.getLong(offset + 13));
    }

    static final String SUBSCRIPTION_COLUMNS = "id, resource_id, channel, address, hash_id, contact, status, "
            + "priority, custom_fields, is_delete, cats, created_at, updated_at";

    /** Refreshes the planner's statistics of the tables a profile write reads, where the database keeps them. */
    static void analyze(Handle h) {
        String analyze = SqlDialect.of(h).analyze("profiles", "profile_keys", "profile_lookups", "subscriptions");
        if (analyze != null) {
            h.execute(analyze);
        }
    }

    /** {@link #SUBSCRIPTION_COLUMNS} of the table named {@code alias}, in the same order. */
    static String subscriptionColumns(String alias) {
        return java.util.Arrays.stream(SUBSCRIPTION_COLUMNS.split(", ")).map(c -> alias + "." + c)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    static List<Subscription> subscriptionsOf(Handle h, String profileId) {
        return h.createQuery("select " + SUBSCRIPTION_COLUMNS + " from subscriptions where profile_id = :id order by id")
                .bind("id", profileId).map((rs, ctx) -> subscription(rs)).list();
    }

    static void insertSubscription(Handle h, String profileId, long dbId, Subscription s) {
        h.createUpdate("insert into subscriptions (profile_id, db_id, resource_id, channel, address, hash_id, contact, "
                        + "status, priority, custom_fields, cats, is_delete, created_at, updated_at) values (:profile, :db, "
                        + ":resource, :channel, :address, :hash, :contact, :status, :priority, :fields, :cats, :deleted, "
                        + ":created, :updated)")
                .bind("profile", profileId).bind("db", dbId).bind("resource", s.resourceId())
                .bind("channel", s.channel().wireName()).bind("address", s.address()).bind("hash", s.hashId())
                .bind("contact", Json.write(s.contact())).bind("status", s.status().number())
                .bind("priority", s.priority()).bind("fields", Json.write(s.customFields()))
                .bind("cats", Json.write(s.cats())).bind("deleted", s.deleted())
                .bind("created", s.createdAt()).bind("updated", s.updatedAt())
                .execute();
    }

    static void updateSubscription(Handle h, Subscription s) {
        h.createUpdate("update subscriptions set status = :status, priority = :priority, custom_fields = :fields, "
                        + "cats = :cats, is_delete = :deleted, updated_at = :updated where id = :id")
                .bind("id", s.id()).bind("status", s.status().number()).bind("priority", s.priority())
                .bind("fields", Json.write(s.customFields())).bind("cats", Json.write(s.cats()))
                .bind("deleted", s.deleted()).bind("updated", s.updatedAt())
                .execute();
    }

    record Owner(long dbId, String profileId) {
    }

    static List<Owner> subscribersOfResource(Handle h, long resourceId) {
        return h.createQuery("select distinct db_id, profile_id from subscriptions where resource_id = :resource")
                .bind("resource", resourceId).map((rs, ctx) -> new Owner(rs.getLong(1), rs.getString(2))).list();
    }

    static void deleteSubscriptionsOfResource(Handle h, long resourceId) {
        h.createUpdate("delete from subscriptions where resource_id = :resource").bind("resource", resourceId).execute();
    }

    static void deleteDatabaseContents(Handle h, long dbId) {
        for (String table : new String[] {"subscriptions", "profile_keys", "profile_lookups", "profiles"}) {
            h.createUpdate("delete from " + table + " where db_id = :db").bind("db", dbId).execute();
        }
    }

    /** Removes a custom field from every profile of the database, with the keys it gave them. */
    static void removeField(Handle h, long dbId, String field, String keyKind) {
        SqlDialect dialect = SqlDialect.of(h);
        h.createUpdate("update profiles set data = " + dialect.jsonWithoutMember("data", "name") + " where db_id = :db and "
                        + dialect.jsonMemberText("data", "name") + " is not null")
                .bind("db", dbId).bind("name", field).execute();
        h.createUpdate("delete from profile_keys where db_id = :db and kind = :kind")
                .bind("db", dbId).bind("kind", keyKind).execute();
    }

    /** A value of the kind that more than one profile of the database has, if any. */
    static Optional<String> sharedLookup(Handle h, long dbId, String kind) {
        return h.createQuery("select value from profile_lookups where db_id = :db and kind = :kind "
                        + "group by value having count(*) > 1 limit 1")
                .bind("db", dbId).bind("kind", kind).mapTo(String.class).findOne();
    }

    static void moveLookupsToKeys(Handle h, long dbId, String kind) {
        h.createUpdate("insert into profile_keys (db_id, kind, value, profile_id) select db_id, kind, value, profile_id "
                        + "from profile_lookups where db_id = :db and kind = :kind")
                .bind("db", dbId).bind("kind", kind).execute();
        h.createUpdate("delete from profile_lookups where db_id = :db and kind = :kind")
                .bind("db", dbId).bind("kind", kind).execute();
    }

    static void moveKeysToLookups(Handle h, long dbId, String kind) {
        h.createUpdate("insert into profile_lookups (db_id, kind, value, profile_id) select db_id, kind, value, profile_id "
                        + "from profile_keys where db_id = :db and kind = :kind")
                .bind("db", dbId).bind("kind", kind).execute();
        h.createUpdate("delete from profile_keys where db_id = :db and kind = :kind")
                .bind("db", dbId).bind("kind", kind).execute();
    }

    static long count(Handle h, long dbId) {
        return h.createQuery("select count(*) from profiles where db_id = :db").bind("db", dbId).mapTo(Long.class).one();
    }

    static List<ProfileRow> page(Handle h, long dbId, String afterId, int limit) {
        return h.createQuery("select id, db_id, data, created_at, updated_at from profiles where db_id = :db"
                        + (afterId == null ? "" : " and id > :after") + " order by id limit :limit")
                .bind("db", dbId).bind("after", afterId).bind("limit", limit)
                .map((rs, ctx) -> profile(rs)).list();
    }
}
