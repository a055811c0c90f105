package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.catalog.DatabaseService;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel.BatchTurn;
import dev.roster.profile.ProfileModel.MatchRequest;
import dev.roster.profile.ProfileModel.Origin;
import dev.roster.profile.ProfileModel.WriteCommand;
import dev.roster.profile.ProfileModel.WriteMode;
import dev.roster.testing.TestStores;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two batches of a file in flight at once (roster import on PostgreSQL) apply in file order even when they reach one
 * profile through values they do not share: the later batch locks nothing before the earlier one holds what it writes,
 * and then waits for it on the profile they share.
 */
class BatchTurnTest extends ProfileApiSupport {


    private static List<WriteCommand> row(long db, Matching matching, String json) {
        return List.of(new WriteCommand(db, MatchRequest.by(matching), (ObjectNode) Json.readStored(json), false));
    }

    @Test
    void aLaterBatchThatStartsFirstStillAppliesAfterTheEarlierOne() throws Exception {
        long db = database();
        importOk("{\"db_id\":" + db + ",\"data\":{\"email\":\"both@example.com\",\"phones\":[\"+79165550001\"]}}");
        ProfileService profiles = new ProfileService(server.store(), new DatabaseService(server.store()));
        Caller caller = masterOf(db);
        // the earlier row finds the profile by its email, the later one by its phone
        List<WriteCommand> earlier = row(db, Matching.EMAIL, "{\"email\":\"both@example.com\",\"_fname\":\"Earlier\"}");
        List<WriteCommand> later = row(db, Matching.PHONE, "{\"phones\":[\"+79165550001\"],\"_fname\":\"Later\"}");
        try {
            if (!TestStores.isPostgres()) {
                // SQLite has one writer: roster import writes one batch at a time there, in file order
                assertThat(server.store().writeConcurrency()).isEqualTo(1);
                profiles.writeBatch(caller, earlier, WriteMode.IMPORT, Origin.FILE);
                profiles.writeBatch(caller, later, WriteMode.IMPORT, Origin.FILE);
            } else {
                assertThat(server.store().writeConcurrency()).isGreaterThan(1);
                CountDownLatch earlierHolds = new CountDownLatch(1);
                CountDownLatch laterStarted = new CountDownLatch(1);
                BatchTurn laterTurn = new BatchTurn(() -> {
                    laterStarted.countDown();
                    await(earlierHolds);
                }, () -> { });
                BatchTurn earlierTurn = new BatchTurn(() -> { }, () -> {
                    earlierHolds.countDown();
                    awaitLockWaiter(); // the later batch tries its lock, and must wait for this commit
                });
                // the later batch starts first; without its turn it would lock and commit before the earlier one
                CompletableFuture<List<ProfileModel.ItemResult>> laterWrite = CompletableFuture.supplyAsync(
                        () -> profiles.writeBatch(caller, later, WriteMode.IMPORT, Origin.FILE, laterTurn));
                await(laterStarted);
                List<ProfileModel.ItemResult> earlierResults =
                        profiles.writeBatch(caller, earlier, WriteMode.IMPORT, Origin.FILE, earlierTurn);
                assertThat(earlierResults.get(0).error()).isZero();
                assertThat(laterWrite.get(30, TimeUnit.SECONDS).get(0).error()).isZero();
            }
        } finally {
            profiles.close();
        }
        var stored = get(db, "\"email\":\"both@example.com\"");
        assertThat(stored.path("_fname").asText()).isEqualTo("Later");
        assertThat(profileCount(db)).isEqualTo(1);
    }

    /**
     * The later batch finds an email's owner before the earlier one, which moves that email to another address of the
     * profile, commits: once it holds the profile the key is gone, and it writes as if it had searched afterwards
     * (a new profile), not over the one that no longer holds the email.
     */
    @Test
    void aKeyThatMovedWhileTheLaterBatchWaitedIsSearchedAgain() throws Exception {
        long db = database();
        String moved = importOk("{\"db_id\":" + db + ",\"data\":{\"email\":\"old@example.com\",\"phones\":[\"+79165550002\"]}}");
        ProfileService profiles = new ProfileService(server.store(), new DatabaseService(server.store()));
        Caller caller = masterOf(db);
        List<WriteCommand> earlier = row(db, Matching.PHONE, "{\"phones\":[\"+79165550002\"],\"email\":\"new@example.com\"}");
        List<WriteCommand> later = row(db, Matching.EMAIL, "{\"email\":\"old@example.com\",\"_fname\":\"Later\"}");
        try {
            if (!TestStores.isPostgres()) {
                profiles.writeBatch(caller, earlier, WriteMode.IMPORT, Origin.FILE);
                profiles.writeBatch(caller, later, WriteMode.IMPORT, Origin.FILE);
            } else {
                CountDownLatch earlierHolds = new CountDownLatch(1);
                CountDownLatch laterSearched = new CountDownLatch(1);
                BatchTurn earlierTurn = new BatchTurn(() -> { }, () -> {
                    earlierHolds.countDown();
                    await(laterSearched);
                    awaitLockWaiter(); // the later batch tries its lock, and waits for this commit
                });
                BatchTurn laterTurn = new BatchTurn(() -> {
                    laterSearched.countDown(); // it has looked its email up: the earlier batch has not committed
                    await(earlierHolds);
                }, () -> { });
                CompletableFuture<List<ProfileModel.ItemResult>> earlierWrite = CompletableFuture.supplyAsync(
                        () -> profiles.writeBatch(caller, earlier, WriteMode.IMPORT, Origin.FILE, earlierTurn));
                await(earlierHolds);
                List<ProfileModel.ItemResult> laterResults =
                        profiles.writeBatch(caller, later, WriteMode.IMPORT, Origin.FILE, laterTurn);
                assertThat(earlierWrite.get(30, TimeUnit.SECONDS).get(0).error()).isZero();
                assertThat(laterResults.get(0).error()).isZero();
                assertThat(laterResults.get(0).created()).isTrue();
            }
        } finally {
            profiles.close();
        }
        assertThat(getById(db, moved).path("email").asText()).isEqualTo("new@example.com");
        var created = get(db, "\"email\":\"old@example.com\"");
        assertThat(created.path("_fname").asText()).isEqualTo("Later");
        assertThat(created.path("id").asText()).isNotEqualTo(moved);
        assertThat(profileCount(db)).isEqualTo(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Until a transaction of this database waits for a lock (the later batch's, on the profile this one holds). */
    private static void awaitLockWaiter() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.store().read(h -> h.createQuery("select count(*) from pg_stat_activity "
                + "where datname = current_database() and wait_event_type = 'Lock'").mapTo(Long.class).one()) == 0) {
            assertThat(System.nanoTime()).as("a transaction waits for a lock").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
