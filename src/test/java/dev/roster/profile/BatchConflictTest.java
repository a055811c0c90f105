package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.access.Caller;
import dev.roster.catalog.DatabaseService;
import dev.roster.json.Json;
import dev.roster.profile.ProfileModel.MatchRequest;
import dev.roster.profile.ProfileModel.Origin;
import dev.roster.profile.ProfileModel.WriteCommand;
import dev.roster.profile.ProfileModel.WriteMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A write whose phone (or other unique key) another profile already holds is answered with its 409 by the set-based
 * path itself. Handing it back to the one-at-a-time path instead made every group commit that carried one such write
 * throw away its work and write again: single imports with half their phones taken ran at a fifteenth of their rate
 * on PostgreSQL (bench/webhook-cost's phone ranges overlapped, which is how it showed).
 */
class BatchConflictTest extends ProfileApiSupport {


    private static BatchWriter.Item importByEmail(Caller caller, long db, String email, String phone) {
        ObjectNode data = (ObjectNode) Json.readStored("{\"email\":\"" + email + "\",\"phones\":[\"" + phone + "\"]}");
        return new BatchWriter.Item(caller, new WriteCommand(db, MatchRequest.by(Matching.EMAIL), data, false),
                WriteMode.IMPORT, Origin.API);
    }

    @Test
    void aTakenPhoneIsAnsweredInTheBatchAndTheOtherItemsAreWritten() {
        long db = database();
        String owner = importOk("{\"db_id\":" + db + ",\"matching\":\"email\",\"data\":{\"email\":\"owner@example.com\","
                + "\"phones\":[\"+79161234567\"]}}");
        Caller caller = masterOf(db);
        BatchWriter writer = new BatchWriter(server.store(), new DatabaseService(server.store()));
        List<BatchWriter.Item> items = new ArrayList<>();
        items.add(importByEmail(caller, db, "first@example.com", "+79160000001"));
        items.add(importByEmail(caller, db, "taken@example.com", "+79161234567"));
        items.add(importByEmail(caller, db, "third@example.com", "+79160000003"));

        List<BatchWriter.Outcome> outcomes = server.store().write(h -> writer.write(h, items, true));

        assertThat(outcomes.get(0)).isInstanceOf(BatchWriter.Outcome.Done.class);
        assertThat(outcomes.get(2)).isInstanceOf(BatchWriter.Outcome.Done.class);
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(BatchWriter.Outcome.Failed.class, failed -> {
            assertThat(failed.error().code().code()).isEqualTo(409);
            assertThat(failed.error().getMessage())
                    .isEqualTo("phone '+79161234567' already belongs to profile " + owner);
        });
        // the same answer as the single method gives, and nothing of the refused item stored
        assertRefused(db, "profiles/import", "{\"db_id\":" + db + ",\"matching\":\"email\",\"data\":{"
                + "\"email\":\"taken@example.com\",\"phones\":[\"+79161234567\"]}}", 409,
                "phone '+79161234567' already belongs to profile " + owner);
        assertThat(profileCount(db)).isEqualTo(3);
        assertThat(getCall(db, "\"matching\":\"email\",\"email\":\"taken@example.com\"").error()).isEqualTo(404);
    }

    /** An add searches for nothing: an email another profile holds is its 409 (a lost race of a search is a retry). */
    @Test
    void anAddOfAnEmailAnotherProfileHoldsIsAConflict() {
        long db = database();
        Caller caller = masterOf(db);
        BatchWriter writer = new BatchWriter(server.store(), new DatabaseService(server.store()));
        importOk("{\"db_id\":" + db + ",\"matching\":\"email\",\"data\":{\"email\":\"held@example.com\"}}");
        ObjectNode data = (ObjectNode) Json.readStored("{\"email\":\"held@example.com\"}");
        BatchWriter.Item add = new BatchWriter.Item(caller, new WriteCommand(db, MatchRequest.none(), data, false),
                WriteMode.ADD, Origin.API);

        List<BatchWriter.Outcome> outcomes = server.store().write(h -> writer.write(h, List.of(add), true));

        assertThat(outcomes.get(0)).isInstanceOfSatisfying(BatchWriter.Outcome.Failed.class,
                failed -> assertThat(failed.error().code().code()).isEqualTo(409));
        assertThat(profileCount(db)).isEqualTo(1);
    }

    /**
     * A batch item that gives its profile a unique value another profile holds is a 409 even when a later item of the
     * batch changes the value again: written one by one, that item meets the holder. The set-based path checked only
     * the values the profile holds after its last item (SingleVersusBatchApiTest, seed 6967069161643).
     */
    @Test
    void aValueTakenOnlyBetweenTwoItemsOfOneProfileIsStillAConflict() {
        long db = database();
        uniqueField(db, "CRM", "string");
        String holder = importOk("{\"db_id\":" + db + ",\"matching\":\"email\",\"data\":{\"email\":\"holder@example.com\","
                + "\"CRM\":\"c4\"}}");
        importOk("{\"db_id\":" + db + ",\"matching\":\"email\",\"data\":{\"email\":\"p6@example.com\",\"CRM\":\"c6\"}}");

        var result = ok("profiles/import_batch", "{\"db_id\":" + db + ",\"matching\":\"email\",\"data\":["
                + "{\"email\":\"p6@example.com\",\"CRM\":\"c4\"},{\"email\":\"p6@example.com\",\"CRM\":\"c9\"}]}")
                .path("result");

        assertThat(result.get(0).path("error").asInt()).as(result.toString()).isEqualTo(409);
        assertThat(result.get(0).path("error_text").asText())
                .isEqualTo("value 'c4' of unique field 'CRM' already belongs to profile " + holder);
        assertThat(result.get(1).path("error").asInt()).as(result.toString()).isZero();
        assertThat(get(db, "\"matching\":\"email\",\"email\":\"p6@example.com\"").path("CRM").asText()).isEqualTo("c9");
        assertThat(get(db, "\"matching\":\"email\",\"email\":\"holder@example.com\"").path("CRM").asText()).isEqualTo("c4");
    }
}
