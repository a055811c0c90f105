package dev.roster.catalog;

import dev.roster.catalog.CatalogModel.Field;
import dev.roster.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL of databases, fields and resources; every statement is scoped to an account. */
final class CatalogSql {
    private CatalogSql() {
    }

    record DatabaseRecord(long id, String name, String description, String uiTags, String phoneRegion,
                          boolean uniquePhones, long createdAt, long updatedAt, String timezone) {
        List<String> tags() {
            List<String> tags = new ArrayList<>();
            Json.readStored(uiTags).forEach(t -> tags.add(t.asText()));
            return tags;
        }
    }

    record ResourceRecord(long id, String name, String channels) {
    }

    private static final String DATABASE_COLUMNS =
            "id, name, description, ui_tags, phone_region, unique_phones, created_at, updated_at, timezone";

    private static DatabaseRecord database(ResultSet rs) throws SQLException {
        return new DatabaseRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getBoolean(6), rs.getLong(7), rs.getLong(8), rs.getString(9));
    }

    static long insertDatabase(Handle h, long accountId, String name, String description, String uiTags,
                               String phoneRegion, boolean uniquePhones, String timezone, long now) {
        return h.createQuery("insert into databases (account_id, name, description, ui_tags, phone_region, "
                        + "unique_phones, timezone, created_at, updated_at) values (:account, :name, :description, :tags, "
                        + ":region, :uniquePhones, :timezone, :now, :now) returning id")
                .bind("timezone", timezone)
                .bind("account", accountId).bind("name", name).bind("description", description).bind("tags", uiTags)
                .bind("region", phoneRegion).bind("uniquePhones", uniquePhones).bind("now", now)
                .mapTo(Long.class).one();
    }

    static Optional<DatabaseRecord> database(Handle h, long accountId, long id) {
        return h.createQuery("select " + DATABASE_COLUMNS + " from databases where account_id = :account and id = :id")
                .bind("account", accountId).bind("id", id)
                .map((rs, ctx) -> database(rs)).findOne();
    }

    static Optional<DatabaseRecord> databaseById(Handle h, long id) {
        return h.createQuery("select " + DATABASE_COLUMNS + " from databases where id = :id")
                .bind("id", id).map((rs, ctx) -> database(rs)).findOne();
    }

    static long accountOfDatabase(Handle h, long id) {
        return h.createQuery("select account_id from databases where id = :id").bind("id", id).mapTo(Long.class).one();
    }

    static List<DatabaseRecord> databases(Handle h, long accountId) {
        return h.createQuery("select " + DATABASE_COLUMNS + " from databases where account_id = :account order by id")
                .bind("account", accountId)
                .map((rs, ctx) -> database(rs)).list();
    }

    static void updateDatabase(Handle h, DatabaseRecord d, long now) {
        h.createUpdate("update databases set name = :name, description = :description, ui_tags = :tags, "
                        + "phone_region = :region, unique_phones = :uniquePhones, timezone = :timezone, updated_at = :now "
                        + "where id = :id")
                .bind("timezone", d.timezone())
                .bind("id", d.id()).bind("name", d.name()).bind("description", d.description())
                .bind("tags", d.uiTags()).bind("region", d.phoneRegion()).bind("uniquePhones", d.uniquePhones())
                .bind("now", now).execute();
    }

    static boolean deleteDatabase(Handle h, long accountId, long id) {
        return h.createUpdate("delete from databases where account_id = :account and id = :id")
                .bind("account", accountId).bind("id", id).execute() > 0;
    }

    static boolean databaseExists(Handle h, long accountId, long id) {
        return h.createQuery("select count(*) from databases where account_id = :account and id = :id")
                .bind("account", accountId).bind("id", id).mapTo(Integer.class).one() > 0;
    }

    static void insertField(Handle h, long dbId, String name, String type, String title, boolean unique,
                            String options, long now, boolean indexed) {
        h.createUpdate("insert into db_fields (db_id, name, type, title, is_unique, options, created_at, is_indexed) "
                        + "values (:db, :name, :type, :title, :unique, :options, :now, :indexed)")
                .bind("db", dbId).bind("name", name).bind("type", type).bind("title", title)
                .bind("unique", unique).bind("options", options).bind("now", now).bind("indexed", indexed).execute();
    }

    static void setIndexed(Handle h, long dbId, String name, boolean indexed) {
        h.createUpdate("update db_fields set is_indexed = :indexed where db_id = :db and name = :name")
                .bind("db", dbId).bind("name", name).bind("indexed", indexed).execute();
    }

    /** The options of an enum field as stored (a JSON array of strings), or null for other types. */
    static List<String> options(String stored) {
        if (stored == null) {
            return null;
        }
        List<String> list = new ArrayList<>();
        Json.readStored(stored).forEach(o -> list.add(o.asText()));
        return list;
    }

    record FieldRecord(String name, String type, String title, boolean unique, String options, boolean indexed) {
        List<String> optionList() {
            return CatalogSql.options(options);
        }

        Field field() {
            return new Field(name, FieldType.parse(type), unique, optionList());
        }
    }

    static List<FieldRecord> fields(Handle h, long dbId) {
        return h.createQuery("select name, type, title, is_unique, options, is_indexed from db_fields where db_id = :db "
                        + "order by created_at, name")
                .bind("db", dbId)
                .map((rs, ctx) -> new FieldRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getString(5), rs.getBoolean(6)))
                .list();
    }

    static void updateField(Handle h, long dbId, String name, String title, String options) {
        h.createUpdate("update db_fields set title = :title, options = :options where db_id = :db and name = :name")
                .bind("db", dbId).bind("name", name).bind("title", title).bind("options", options).execute();
    }

    static boolean deleteField(Handle h, long dbId, String name) {
        return h.createUpdate("delete from db_fields where db_id = :db and name = :name")
                .bind("db", dbId).bind("name", name).execute() > 0;
    }

    static void touchDatabase(Handle h, long dbId, long now) {
        h.createUpdate("update databases set updated_at = :now where id = :id").bind("id", dbId).bind("now", now).execute();
    }

    static long insertResource(Handle h, long accountId, String name, String channels, long now) {
        return h.createQuery("insert into resources (account_id, name, channels, created_at, updated_at) "
                        + "values (:account, :name, :channels, :now, :now) returning id")
                .bind("account", accountId).bind("name", name).bind("channels", channels).bind("now", now)
                .mapTo(Long.class).one();
    }

    static Optional<ResourceRecord> resource(Handle h, long accountId, long id) {
        return h.createQuery("select id, name, channels from resources where account_id = :account and id = :id")
                .bind("account", accountId).bind("id", id)
                .map((rs, ctx) -> new ResourceRecord(rs.getLong(1), rs.getString(2), rs.getString(3))).findOne();
    }

    static List<ResourceRecord> resources(Handle h, long accountId, long fromId, int limit) {
        return h.createQuery("select id, name, channels from resources where account_id = :account and id >= :from "
                        + "order by id limit :limit")
                .bind("account", accountId).bind("from", fromId).bind("limit", limit)
                .map((rs, ctx) -> new ResourceRecord(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
    }

    static long countResources(Handle h, long accountId) {
        return h.createQuery("select count(*) from resources where account_id = :account")
                .bind("account", accountId).mapTo(Long.class).one();
    }

    static void updateResource(Handle h, long id, String name, String channels, long now) {
        h.createUpdate("update resources set name = :name, channels = :channels, updated_at = :now where id = :id")
                .bind("id", id).bind("name", name).bind("channels", channels).bind("now", now).execute();
    }

    static boolean deleteResource(Handle h, long accountId, long id) {
        return h.createUpdate("delete from resources where account_id = :account and id = :id")
                .bind("account", accountId).bind("id", id).execute() > 0;
    }

    static List<Long> resourceDatabases(Handle h, long resourceId) {
        return h.createQuery("select db_id from resource_databases where resource_id = :id order by db_id")
                .bind("id", resourceId).mapTo(Long.class).list();
    }

    static void replaceResourceDatabases(Handle h, long resourceId, List<Long> dbIds) {
        h.createUpdate("delete from resource_databases where resource_id = :id").bind("id", resourceId).execute();
        for (long dbId : dbIds) {
            h.createUpdate("insert into resource_databases (resource_id, db_id) values (:id, :db)")
                    .bind("id", resourceId).bind("db", dbId).execute();
        }
    }
}
