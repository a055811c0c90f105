package dev.roster.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.json.Json;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which writes may be looked up or written together: those that share no identity value. */
class IdentityValuesTest {

    private static Set<String> keys(String json, String... keyFields) {
        return keysIn("RU", json, keyFields);
    }

    private static Set<String> keysIn(String region, String json, String... keyFields) {
        Set<String> keys = new HashSet<>();
        IdentityValues.addTo(keys, (ObjectNode) Json.readStored(json), name -> Set.of(keyFields).contains(name), region);
        return keys;
    }

    private static boolean share(Set<String> a, Set<String> b) {
        return !java.util.Collections.disjoint(a, b);
    }

    @Test
    void anEmailIsSharedWhateverItsCaseAndSpaces() {
        assertThat(share(keys("{\"email\":\" John@Example.COM \"}"), keys("{\"email\":\"john@example.com\"}"))).isTrue();
        assertThat(share(keys("{\"email\":\"a@example.com\"}"), keys("{\"email\":\"b@example.com\"}"))).isFalse();
    }

    @Test
    void aPhoneIsSharedInItsNationalAndInternationalForms() {
        assertThat(share(keys("{\"phones\":[\"+7 (916) 555-00-01\"]}"), keys("{\"phones\":\"89165550001\"}"))).isTrue();
        assertThat(share(keys("{\"phones\":\"+79165550001;+79165550002\"}"), keys("{\"phones\":[\"+79165550002\"]}")))
                .isTrue();
        assertThat(share(keys("{\"phones\":[\"+79165550001\"]}"), keys("{\"phones\":[\"+79165550003\"]}"))).isFalse();
        // a national number shorter than ten digits: "+33 6..." and "06..." differ in their last ten digits
        assertThat(share(keysIn("FR", "{\"phones\":[\"+33 6 12 34 56 78\"]}"), keysIn("FR", "{\"phones\":\"06 12 34 56 78\"}")))
                .isTrue();
        assertThat(share(keysIn("DE", "{\"phones\":[\"+49 30 1234567\"]}"), keysIn("DE", "{\"phones\":[\"030 1234567\"]}")))
                .isTrue();
        // a subscription's phone, in national form, meets the profile phone in international form
        assertThat(share(keysIn("FR", "{\"subscriptions\":[{\"channel\":\"sms\",\"resource_id\":1,"
                + "\"phone\":\"06 12 34 56 78\"}]}"), keysIn("FR", "{\"phones\":[\"+33612345678\"]}"))).isTrue();
    }

    @Test
    void aSubscriptionAddressMeetsTheSameEmailOrPhoneElsewhere() {
        String subscribed = "{\"email\":\"x@example.com\",\"subscriptions\":[{\"channel\":\"sms\",\"resource_id\":1,"
                + "\"phone\":\"+79165550001\",\"status\":\"subscribed\"},{\"channel\":\"email\",\"email\":\"Y@example.com\"}]}";
        assertThat(share(keys(subscribed), keys("{\"phones\":[\"+79165550001\"]}"))).isTrue();
        assertThat(share(keys(subscribed), keys("{\"email\":\"y@example.com\"}"))).isTrue();
        // channel, status and resource are no addresses: every row has them
        assertThat(share(keys(subscribed), keys("{\"email\":\"z@example.com\",\"subscriptions\":[{\"channel\":\"sms\","
                + "\"resource_id\":1,\"phone\":\"+79165550009\",\"status\":\"subscribed\"}]}"))).isFalse();
    }

    @Test
    void keyFieldsAndIdsAreSharedByValueOtherFieldsNever() {
        assertThat(share(keys("{\"CRM\":\"5\"}", "CRM"), keys("{\"CRM\":5.0}", "CRM"))).isTrue();
        assertThat(share(keys("{\"CRM\":\"5\"}", "CRM"), keys("{\"CRM\":\"6\"}", "CRM"))).isFalse();
        assertThat(share(keys("{\"_city\":\"Moscow\",\"_sex\":\"male\"}"), keys("{\"_city\":\"Moscow\",\"_sex\":\"male\"}")))
                .isFalse();
        assertThat(share(keys("{\"id\":\"0123456789abcdef01234567\"}"), keys("{\"profile_id\":\"0123456789ABCDEF01234567\"}")))
                .isTrue();
        // a number written out would be a billion digits: kept as sent
        assertThat(keys("{\"CRM\":\"1e999999999\"}", "CRM")).containsExactly("f:crm=1e999999999");
    }
}
