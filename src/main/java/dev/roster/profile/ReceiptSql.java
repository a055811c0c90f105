package dev.roster.profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The receipts of keyed writes ({@code write_receipts}), in the transaction of the writes they name. A receipt is
 * claimed before its write is applied: on PostgreSQL a second transaction claiming the same key waits for the first
 * to end, so a message delivered twice at once is still applied once.
 */
final class ReceiptSql {
    private ReceiptSql() {
    }

    record Claim(long accountId, String receipt) {
    }

    /** The stored result of a receipt. */
    record Stored(String profileId, boolean created) {
    }

    /** Claims the receipts; returns those this statement inserted (a receipt already there is not). */
    static List<Claim> claim(Handle h, List<Claim> claims, long now) {
        List<Claim> claimed = new ArrayList<>();
        BatchSql.chunked(claims, chunk -> {
            var query = h.createQuery("insert into write_receipts (account_id, receipt, applied_at) values "
                    + BatchSql.groups(chunk.size(), "(:a#, :r#, :now)")
                    + " on conflict (account_id, receipt) do nothing returning account_id, receipt").bind("now", now);
            for (int i = 0; i < chunk.size(); i++) {
                query.bind("a" + i, chunk.get(i).accountId()).bind("r" + i, chunk.get(i).receipt());
            }
            claimed.addAll(query.map((rs, ctx) -> new Claim(rs.getLong(1), rs.getString(2))).list());
        });
        return claimed;
    }

    /** The results stored for these receipts (those with a result; a receipt still being written has none). */
    static Map<Claim, Stored> find(Handle h, List<Claim> claims) {
        Map<Claim, Stored> found = new HashMap<>();
        for (Claim c : claims) { // only redeliveries get here: rare, and one at a time keeps it simple
            h.createQuery("select profile_id, created from write_receipts where account_id = :a and receipt = :r "
                            + "and profile_id is not null")
                    .bind("a", c.accountId()).bind("r", c.receipt())
                    .map((rs, ctx) -> new Stored(rs.getString(1), rs.getInt(2) != 0))
                    .findOne().ifPresent(s -> found.put(c, s));
        }
        return found;
    }

    /** Writes the results into the receipts claimed in this transaction. */
    static void record(Handle h, Map<Claim, Stored> results) {
        BatchSql.chunked(new ArrayList<>(results.entrySet()), chunk -> {
            var update = h.createUpdate("update write_receipts set profile_id = v.column3, created = v.column4 from (values "
                    + BatchSql.groups(chunk.size(), "(:a#, :r#, :p#, :c#)")
                    + ") as v where write_receipts.account_id = v.column1 and write_receipts.receipt = v.column2");
            for (int i = 0; i < chunk.size(); i++) {
                Claim c = chunk.get(i).getKey();
                Stored s = chunk.get(i).getValue();
                update.bind("a" + i, c.accountId()).bind("r" + i, c.receipt()).bind("p" + i, s.profileId())
                        .bind("c" + i, s.created() ? 1 : 0);
            }
            update.execute();
        });
    }

    /** Gives up receipts claimed in this transaction whose writes failed or go to the one-at-a-time path. */
    static void release(Handle h, List<Claim> claims) {
        BatchSql.chunked(claims, chunk -> {
            var update = h.createUpdate("delete from write_receipts where (account_id, receipt) in (values "
                    + BatchSql.groups(chunk.size(), "(:a#, :r#)") + ")");
            for (int i = 0; i < chunk.size(); i++) {
                update.bind("a" + i, chunk.get(i).accountId()).bind("r" + i, chunk.get(i).receipt());
            }
            update.execute();
        });
    }

    /** Deletes receipts written before {@code before} (epoch millis); returns how many. */
    static int prune(Handle h, long before) {
        return h.createUpdate("delete from write_receipts where applied_at < :before").bind("before", before).execute();
    }
}
