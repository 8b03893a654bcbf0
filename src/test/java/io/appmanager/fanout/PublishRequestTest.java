package io.appmanager.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.platform.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TOPICS = 5;

    private static JsonNode j(String s) {
        try {
            return JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static PublishRequest parse(String body) {
        return PublishRequest.parse(j(body), MAX_TOPICS);
    }

    /** Asserts a 400 invalid_field naming {@code field}; returns the message. */
    private static String refused(String body, String field) {
        ApiException e = assertThrows(ApiException.class, () -> parse(body));
        assertEquals(400, e.status());
        assertEquals("invalid_field", e.code());
        assertEquals(field, e.field());
        return e.getMessage();
    }

    // --- good bodies

    @Test
    void minimalBodyWithOneTopicParses() {
        PublishRequest r = parse("{'type':'message.create','topic':'chat.1','data':{'text':'hi'}}");
        assertEquals("message.create", r.type());
        assertEquals(List.of("chat.1"), r.topics());
        assertEquals("hi", r.data().get("text").textValue());
        assertEquals(Optional.empty(), r.idempotencyKey());
    }

    @Test
    void bodyWithTopicsArrayParsesInOrder() {
        assertEquals(List.of("b", "a", "c"), parse("{'type':'x','topics':['b','a','c'],'data':{}}").topics());
    }

    @Test
    void duplicateTopicsAreCollapsedKeepingFirstOccurrenceOrder() {
        assertEquals(List.of("b", "a"), parse("{'type':'x','topics':['b','a','b','a'],'data':{}}").topics());
    }

    @Test
    void exactlyMaxTopicsParse() {
        assertEquals(5, parse("{'type':'x','topics':['a','b','c','d','e'],'data':{}}").topics().size());
    }

    @Test
    void idempotencyKeyIsKept() {
        assertEquals(Optional.of("key-1"),
                parse("{'type':'x','topic':'t','data':{},'idempotency_key':'key-1'}").idempotencyKey());
    }

    @Test
    void nullIdempotencyKeyIsNoKey() {
        assertEquals(Optional.empty(),
                parse("{'type':'x','topic':'t','data':{},'idempotency_key':null}").idempotencyKey());
    }

    @Test
    void idempotencyKeyOfEveryPrintableAsciiCharacterIsAccepted() {
        StringBuilder all = new StringBuilder();
        for (char c = 0x21; c <= 0x7e; c++) {
            all.append(c);
        }
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
        body.put("type", "x");
        body.put("topic", "t");
        body.putObject("data");
        body.put("idempotency_key", all.toString());
        assertEquals(Optional.of(all.toString()), PublishRequest.parse(body, 5).idempotencyKey());
    }

    @Test
    void idempotencyKeyOf128CharactersIsAccepted() {
        String k = "k".repeat(128);
        assertEquals(Optional.of(k), parse("{'type':'x','topic':'t','data':{},'idempotency_key':'" + k + "'}")
                .idempotencyKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "message.create", "a_b.c_d", "0", "..."})
    void typesMatchingTheRuleAreAccepted(String type) {
        assertEquals(type, parse("{'type':'" + type + "','topic':'t','data':{}}").type());
    }

    @Test
    void typeOf64CharactersIsAccepted() {
        String t = "a".repeat(64);
        assertEquals(t, parse("{'type':'" + t + "','topic':'t','data':{}}").type());
    }

    @Test
    void emptyDataObjectIsAccepted() {
        assertTrue(parse("{'type':'x','topic':'t','data':{}}").data().isEmpty());
    }

    @Test
    void typeThatMerelyContainsAReservedWordIsAccepted() {
        assertEquals("ready.now", parse("{'type':'ready.now','topic':'t','data':{}}").type());
        assertEquals("subscriptions", parse("{'type':'subscriptions','topic':'t','data':{}}").type());
    }

    // --- body

    @ParameterizedTest
    @ValueSource(strings = {"[]", "null", "'x'", "1", "true"})
    void bodyThatIsNotAnObjectIsRefusedWithNoField(String body) {
        ApiException e = assertThrows(ApiException.class, () -> parse(body));
        assertEquals(400, e.status());
        assertNull(e.field());
    }

    @Test
    void missingBodyIsRefused() {
        ApiException e = assertThrows(ApiException.class, () -> PublishRequest.parse(null, 5));
        assertEquals(400, e.status());
    }

    @Test
    void unknownFieldIsRefusedNamingIt() {
        String m = refused("{'type':'x','topic':'t','data':{},'priority':1}", "priority");
        assertTrue(m.contains("priority"), m);
    }

    @Test
    void unknownFieldIsReportedBeforeAnyOtherProblem() {
        refused("{'Type':'x'}", "Type");
        refused("{'type':'BAD','d':{}}", "d");
    }

    // --- type

    @ParameterizedTest
    @ValueSource(strings = {"{'topic':'t','data':{}}", "{'type':null,'topic':'t','data':{}}",
            "{'type':1,'topic':'t','data':{}}", "{'type':['x'],'topic':'t','data':{}}",
            "{'type':'','topic':'t','data':{}}", "{'type':'Message.create','topic':'t','data':{}}",
            "{'type':'message-create','topic':'t','data':{}}", "{'type':'message create','topic':'t','data':{}}",
            "{'type':'a:b','topic':'t','data':{}}", "{'type':'caf\u00e9','topic':'t','data':{}}",
            "{'type':'READY','topic':'t','data':{}}"})
    void typeNotMatchingTheRuleIsRefusedNamingType(String body) {
        refused(body, "type");
    }

    @Test
    void typeOf65CharactersIsRefused() {
        refused("{'type':'" + "a".repeat(65) + "','topic':'t','data':{}}", "type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ready", "resumed", "subscriptions.update"})
    void reservedTypesAreRefusedNamingType(String type) {
        String m = refused("{'type':'" + type + "','topic':'t','data':{}}", "type");
        assertTrue(m.contains("reserved"), m);
    }

    @Test
    void typeIsCheckedBeforeData() {
        refused("{'type':'X','topic':'t'}", "type");
    }

    // --- data

    @ParameterizedTest
    @ValueSource(strings = {"", ",'data':null", ",'data':[]", ",'data':'x'", ",'data':1", ",'data':true"})
    void dataThatIsNotAnObjectIsRefusedNamingData(String data) {
        refused("{'type':'x','topic':'t'" + data + "}", "data");
    }

    @Test
    void dataIsCheckedBeforeTopics() {
        refused("{'type':'x','data':1}", "data");
    }

    // --- topic / topics

    @Test
    void bothTopicAndTopicsAreRefused() {
        refused("{'type':'x','topic':'t','topics':['t'],'data':{}}", "topics");
    }

    @Test
    void topicAndANullTopicsAreStillBoth() {
        refused("{'type':'x','topic':'t','topics':null,'data':{}}", "topics");
    }

    @Test
    void neitherTopicNorTopicsIsRefusedNamingTopics() {
        refused("{'type':'x','data':{}}", "topics");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "1", "['t']", "''", "'a b'", "'t*'", "'*'", "'caf\u00e9'"})
    void badTopicIsRefusedNamingTopic(String topic) {
        refused("{'type':'x','topic':" + topic + ",'data':{}}", "topic");
    }

    @Test
    void topicOf129CharactersIsRefused() {
        refused("{'type':'x','topic':'" + "t".repeat(129) + "','data':{}}", "topic");
        assertEquals(List.of("t".repeat(128)),
                parse("{'type':'x','topic':'" + "t".repeat(128) + "','data':{}}").topics());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "null", "'t'", "{}", "1"})
    void topicsThatAreNotANonEmptyArrayAreRefusedNamingTopics(String topics) {
        refused("{'type':'x','topics':" + topics + ",'data':{}}", "topics");
    }

    @Test
    void moreThanMaxTopicsAreRefusedNamingTopics() {
        String m = refused("{'type':'x','topics':['a','b','c','d','e','f'],'data':{}}", "topics");
        assertTrue(m.contains("5"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"['a',1]", "['a',null]", "['a','']", "['a','b c']", "['a','x*']", "[['a']]", "[{}]"})
    void topicsWithAnInvalidEntryAreRefusedNamingTopics(String topics) {
        refused("{'type':'x','topics':" + topics + ",'data':{}}", "topics");
    }

    // --- idempotency key

    @ParameterizedTest
    @ValueSource(strings = {"''", "' '", "'a b'", "'caf\u00e9'", "'tab\\there'", "1", "true", "['k']", "{}"})
    void badIdempotencyKeyIsRefusedNamingIt(String key) {
        refused("{'type':'x','topic':'t','data':{},'idempotency_key':" + key + "}", "idempotency_key");
    }

    @Test
    void idempotencyKeyOf129CharactersIsRefused() {
        refused("{'type':'x','topic':'t','data':{},'idempotency_key':'" + "k".repeat(129) + "'}", "idempotency_key");
    }

    @Test
    void idempotencyKeyWithDelIsRefused() {
        refused("{'type':'x','topic':'t','data':{},'idempotency_key':'a\u007f'}", "idempotency_key");
    }

    @Test
    void idempotencyKeyIsCheckedBeforeTopics() {
        refused("{'type':'x','data':{},'idempotency_key':''}", "idempotency_key");
    }
}
