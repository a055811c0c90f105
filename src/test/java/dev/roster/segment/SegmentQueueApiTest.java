package dev.roster.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.account.AccountService;
import dev.roster.catalog.DatabaseService;
import dev.roster.request.BodyLimits;
import dev.roster.profile.ProfileService;
import dev.roster.query.ProfileQueryService;
import dev.roster.queue.QueueConsumer;
import dev.roster.queue.QueueSettings;
import dev.roster.store.Store;
import dev.roster.testing.ApiTest;
import dev.roster.testing.TestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** add_to_segments / remove_from_segments in messages of the RabbitMQ import queue. */
class SegmentQueueApiTest extends ApiTest {
    @Test
    void queueMessagesJoinAndLeaveStaticSegments() throws Exception {
        Store store = server.store();
        DatabaseService databases = new DatabaseService(store);
        ProfileService profiles = new ProfileService(store, databases);
        ProfileQueryService queries = new ProfileQueryService(store, databases);
        SegmentService segments = new SegmentService(store, databases, queries);
        queries.useSegments(segments);
        profiles.useSegments(segments);
        long account = store.read(h -> h.createQuery("select id from accounts where name = 'default'")
                .mapTo(Long.class).one());
        long db = createDatabase("queue-segments");
        long s1 = master().ok("segments/create", "{\"db_id\":" + db + ",\"name\":\"a\",\"type\":\"static\"}").path("data")
                .path("id").asLong();
        long s2 = master().ok("segments/create", "{\"db_id\":" + db + ",\"name\":\"b\",\"type\":\"static\"}").path("data")
                .path("id").asLong();
        try (TestBroker broker = new TestBroker("segments")) {
            QueueSettings settings = new QueueSettings(TestBroker.URL, broker.importQueue, broker.resultQueue, 16,
                    10L << 20, Duration.ofSeconds(30));
            try (QueueConsumer consumer = new QueueConsumer(settings, profiles,
                    new dev.roster.account.Authentication(store, new SimpleMeterRegistry())::queueCaller,
                    new BodyLimits(65_536, 10_000), new SimpleMeterRegistry()).start()) {
                broker.publish("{\"account_id\":" + account + ",\"db_id\":" + db + ",\"email\":\"q@example.com\","
                        + "\"feedback_id\":\"join\",\"data\":{\"email\":\"q@example.com\"},\"add_to_segments\":[" + s1
                        + "," + s2 + "]}");
                broker.awaitResults(r -> r.size() >= 1, Duration.ofSeconds(90));
                broker.publish("{\"account_id\":" + account + ",\"db_id\":" + db + ",\"email\":\"q@example.com\","
                        + "\"feedback_id\":\"leave\",\"data\":{\"_fname\":\"Q\"},\"remove_from_segments\":[" + s2 + "]}");
                broker.publish("{\"account_id\":" + account + ",\"db_id\":" + db + ",\"email\":\"x@example.com\","
                        + "\"feedback_id\":\"bad\",\"data\":{\"email\":\"x@example.com\"},\"add_to_segments\":[999999]}");
                java.util.List<JsonNode> results = broker.awaitResults(r -> r.size() >= 3, Duration.ofSeconds(90));
                for (JsonNode r : results) {
                    assertThat(r.path("error").asInt()).as("%s", r)
                            .isEqualTo(r.path("feedback_id").asText().equals("bad") ? 404 : 0);
                }
            }
        } finally {
            profiles.close();
        }
        assertThat(master().ok("profiles/count", "{\"db_id\":" + db + ",\"segment_id\":" + s1 + "}").path("data")
                .path("count").asLong()).isEqualTo(1);
        assertThat(master().ok("profiles/count", "{\"db_id\":" + db + ",\"segment_id\":" + s2 + "}").path("data")
                .path("count").asLong()).isZero();
        assertThat(master().call("profiles/get", "{\"db_id\":" + db + ",\"email\":\"x@example.com\"}").error())
                .isEqualTo(404);
    }
}
