package dev.roster.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.profile.SubscriptionStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counters' answer from counter rows, without a store. */
class SubscriptionCountsTest {

    @Test
    void theStatusTableIsTheProfileFeatures() {
        assertThat(SubscriptionCounts.STATUSES).containsExactlyElementsOf(
                Arrays.stream(SubscriptionStatus.values()).sorted((a, b) -> a.number() - b.number())
                        .map(SubscriptionStatus::word).toList());
    }

    @Test
    void sendableNeedsTheChannelEnabledOnTheSubscriptionsOwnResource() {
        List<CounterSql.SubscriptionCount> rows = List.of(
                new CounterSql.SubscriptionCount(1, 10, "email", 0, false, 5),
                new CounterSql.SubscriptionCount(1, 20, "email", 0, false, 7), // resource 20 no longer enables email
                new CounterSql.SubscriptionCount(1, 10, "email", 4, false, 2),
                new CounterSql.SubscriptionCount(1, 10, "email", 3, false, 1),
                new CounterSql.SubscriptionCount(1, 10, "email", 0, true, 4));
        List<SubscriptionCounts.ChannelCounts> answer = SubscriptionCounts.perChannel(rows,
                Map.of(10L, List.of("email", "sms"), 20L, List.of("push")));
        assertThat(answer).extracting(SubscriptionCounts.ChannelCounts::channel).containsExactly("email", "sms", "push");
        Map<String, Long> email = answer.get(0).status();
        assertThat(email.get("all")).isEqualTo(15);
        assertThat(email.get("subscribed")).isEqualTo(12);
        assertThat(email.get("subscribed_sendable")).isEqualTo(5);
        assertThat(email.get("unconfirmed_sendable")).isEqualTo(2);
        assertThat(email.get("hardbounced")).isEqualTo(1);
        assertThat(answer.get(0).deleted()).isEqualTo(4);
        assertThat(answer.get(1).status().get("all")).isZero();
    }
}
