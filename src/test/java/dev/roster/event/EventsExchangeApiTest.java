package dev.roster.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.roster.json.Json;
import dev.roster.testing.TestBroker;
import dev.roster.testing.TestServer;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code --amqp-events-exchange}: every event reaches a queue bound to the exchange, with its routing key. */
@Tag("api")
class EventsExchangeApiTest {

    record Message(String routingKey, Integer deliveryMode, JsonNode event) {
    }

    @Test
    void everyEventIsPublishedPersistentWithItsRoutingKey() throws Exception {
        String exchange = "roster_test_events_" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(TestBroker.URL);
        if (factory.getVirtualHost().isEmpty()) {
            factory.setVirtualHost("/");
        }
        List<Message> received = new ArrayList<>();
        try (Connection connection = factory.newConnection("roster-test-events")) {
            Channel channel = connection.createChannel();
            channel.exchangeDeclare(exchange, "topic", true);
            String queue = channel.queueDeclare("", false, true, true, null).getQueue();
            channel.queueBind(queue, exchange, "#");
            channel.basicConsume(queue, true, (tag, delivery) -> {
                synchronized (received) {
                    received.add(new Message(delivery.getEnvelope().getRoutingKey(),
                            delivery.getProperties().getDeliveryMode(), Json.MAPPER.readTree(delivery.getBody())));
                    received.notifyAll();
                }
            }, tag -> { });
            try (TestServer server = TestServer.start(EventSettings.defaults().withPoll(Duration.ofMillis(200))
                    .withExchange(TestBroker.URL, exchange))) {
                Set<Long> expected = new HashSet<>();
                String today = LocalDate.now(ZoneOffset.UTC).toString();
                List<Long> dbs = new ArrayList<>();
                for (int d = 0; d < 2; d++) {
                    long db = server.master().ok("databases/create", "{\"name\":\"ex" + d + "\"}").path("data")
                            .path("id").asLong();
                    dbs.add(db);
                    StringBuilder items = new StringBuilder();
                    for (int i = 0; i < 300; i++) {
                        items.append(i == 0 ? "" : ",").append("{\"email\":\"p").append(i).append("@example.com\"}");
                    }
                    server.master().ok("profiles/import_batch", "{\"db_id\":" + db + ",\"data\":[" + items + "]}");
                    server.master().ok("profiles/import", "{\"db_id\":" + db
                            + ",\"data\":{\"email\":\"p1@example.com\",\"_fname\":\"Olga\"}}");
                    server.master().ok("subscribers/history_get_all", "{\"list_id\":" + db + ",\"date_from\":\""
                            + today + "\",\"date_to\":\"" + today + "\",\"limit\":10000}").path("data")
                            .forEach(r -> expected.add(r.path("id").asLong()));
                }
                assertThat(expected).hasSize(602);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                synchronized (received) {
                    while (ids(received).size() < expected.size() || !ids(received).containsAll(expected)) {
                        long left = deadline - System.nanoTime();
                        assertThat(left).as("events received: %s of %s", received.size(), expected.size())
                                .isPositive();
                        TimeUnit.NANOSECONDS.timedWait(received, left);
                    }
                }
                List<Message> all;
                synchronized (received) {
                    all = List.copyOf(received);
                }
                assertThat(ids(all)).isEqualTo(expected);
                assertThat(all).allSatisfy(m -> {
                    assertThat(m.deliveryMode()).isEqualTo(2);
                    assertThat(m.routingKey()).isEqualTo(m.event().path("db_id").asLong() + "."
                            + m.event().path("type").asText());
                });
                assertThat(all.stream().filter(m -> m.routingKey().endsWith(".fields_update")).count()).isEqualTo(2);
                assertThat(server.send(server.request("/metrics").GET()).body())
                        .contains("roster_events_exchange_published_total");
            } finally {
                channel.exchangeDelete(exchange);
            }
        }
    }

    private static Set<Long> ids(List<Message> messages) {
        Set<Long> out = new HashSet<>();
        messages.forEach(m -> out.add(m.event().path("id").asLong()));
        return out;
    }
}
