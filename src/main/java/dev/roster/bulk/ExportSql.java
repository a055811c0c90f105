package dev.roster.bulk;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL of export tasks and their files' chunks; every read of a task is scoped to its account. */
final class ExportSql {
    private ExportSql() {
    }

    record TaskRow(String id, long accountId, long dbId, String fileName, String status, long total, long done,
                   long bytes, String error, long updatedAt) {
    }

    static void insert(Handle h, String id, long accountId, long dbId, String fileName, long now) {
        h.createUpdate("insert into export_tasks (id, account_id, db_id, file_name, status, created_at, updated_at) "
                        + "values (:id, :account, :db, :file, 'queued', :now, :now)")
                .bind("id", id).bind("account", accountId).bind("db", dbId).bind("file", fileName).bind("now", now)
                .execute();
    }

    static void progress(Handle h, String id, String status, long total, long done, long now) {
        h.createUpdate("update export_tasks set status = :status, total = :total, done = :done, updated_at = :now "
                        + "where id = :id")
                .bind("id", id).bind("status", status).bind("total", total).bind("done", done).bind("now", now)
                .execute();
    }

    static void finish(Handle h, String id, String status, long done, long bytes, String error, long now) {
        h.createUpdate("update export_tasks set status = :status, done = :done, bytes = :bytes, error = :error, "
                        + "updated_at = :now where id = :id")
                .bind("id", id).bind("status", status).bind("done", done).bind("bytes", bytes)
                .bindByType("error", error, String.class).bind("now", now).execute();
    }

    static Optional<TaskRow> task(Handle h, long accountId, String id) {
        return h.createQuery("select id, account_id, db_id, file_name, status, total, done, bytes, error, updated_at "
                        + "from export_tasks where id = :id and account_id = :account")
                .bind("id", id).bind("account", accountId)
                .map((rs, ctx) -> new TaskRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getLong(10)))
                .findOne();
    }

    static void insertChunk(Handle h, String id, int seq, byte[] data) {
        h.createUpdate("insert into export_chunks (task_id, seq, data) values (:id, :seq, :data)")
                .bind("id", id).bind("seq", seq).bind("data", data).execute();
    }

    static Optional<byte[]> chunk(Handle h, String id, int seq) {
        return h.createQuery("select data from export_chunks where task_id = :id and seq = :seq")
                .bind("id", id).bind("seq", seq).mapTo(byte[].class).findOne();
    }

    /** Deletes the task of the account and its file; false when there is no such task. */
    static boolean delete(Handle h, long accountId, String id) {
        if (h.createQuery("select count(*) from export_tasks where id = :id and account_id = :account")
                .bind("id", id).bind("account", accountId).mapTo(Long.class).one() == 0) {
            return false;
        }
        h.createUpdate("delete from export_chunks where task_id = :id").bind("id", id).execute();
        h.createUpdate("delete from export_tasks where id = :id").bind("id", id).execute();
        return true;
    }

    static List<String> createdBefore(Handle h, long before) {
        return h.createQuery("select id from export_tasks where created_at < :before order by created_at")
                .bind("before", before).mapTo(String.class).list();
    }

    static void deleteAny(Handle h, String id) {
        h.createUpdate("delete from export_chunks where task_id = :id").bind("id", id).execute();
        h.createUpdate("delete from export_tasks where id = :id").bind("id", id).execute();
    }

}
