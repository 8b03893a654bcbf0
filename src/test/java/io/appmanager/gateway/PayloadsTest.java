package io.appmanager.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode j(String s) {
        try {
            return JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String list(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("'s").append(i).append('\'');
        }
        return b.append(']').toString();
    }

    private static void assertBad(Payloads.Parsed<?> p, String expectedError) {
        assertFalse(p.isOk(), "expected refusal " + expectedError);
        assertNull(p.value());
        assertEquals(expectedError, p.error());
    }

    // --- IDENTIFY

    @Test
    void identifyWithTokenOnlyParsesWithNoIntentsAndNoProperties() {
        Payloads.Parsed<Payloads.Identify> p = Payloads.identify(j("{'token':'abc'}"));
        assertTrue(p.isOk());
        assertEquals("abc", p.value().token());
        assertEquals(List.of(), p.value().intents());
        assertNull(p.value().properties());
    }

    @Test
    void identifyWithEverythingParses() {
        Payloads.Parsed<Payloads.Identify> p = Payloads.identify(
                j("{'token':'Bot abc','intents':['messages','members'],'properties':{'os':'linux'},'extra':1}"));
        assertTrue(p.isOk());
        assertEquals("Bot abc", p.value().token());
        assertEquals(List.of("messages", "members"), p.value().intents());
        assertEquals("linux", p.value().properties().get("os").textValue());
    }

    @Test
    void identifyWithNullIntentsAndNullPropertiesParses() {
        Payloads.Parsed<Payloads.Identify> p = Payloads.identify(j("{'token':'t','intents':null,'properties':null}"));
        assertTrue(p.isOk());
        assertEquals(List.of(), p.value().intents());
    }

    @Test
    void identifyKeepsDuplicateIntentsForTheCheckToCollapse() {
        Payloads.Parsed<Payloads.Identify> p = Payloads.identify(j("{'token':'t','intents':['a','a']}"));
        assertEquals(List.of("a", "a"), p.value().intents());
    }

    @Test
    void identifyEmptyTokenStringIsAShapeTheVerifierJudges() {
        assertTrue(Payloads.identify(j("{'token':''}")).isOk());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "null", "'token'", "1", "true", "[{'token':'t'}]"})
    void identifyDataThatIsNotAnObjectIsRefused(String data) {
        assertBad(Payloads.identify(j(data)), "IDENTIFY data must be an object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{'token':null}", "{'token':1}", "{'token':true}", "{'token':['t']}",
            "{'token':{'v':'t'}}", "{'Token':'t'}"})
    void identifyWithoutAStringTokenIsRefusedNamingToken(String data) {
        assertBad(Payloads.identify(j(data)), "IDENTIFY data.token must be a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'token':'t','intents':'messages'}", "{'token':'t','intents':1}",
            "{'token':'t','intents':{}}", "{'token':'t','intents':[1]}", "{'token':'t','intents':['a',null]}",
            "{'token':'t','intents':[['a']]}", "{'token':'t','intents':true}"})
    void identifyWithBadIntentsIsRefusedNamingIntents(String data) {
        assertBad(Payloads.identify(j(data)), "IDENTIFY data.intents must be an array of strings");
    }

    @Test
    void identifyWithTooManyIntentsIsRefusedNamingIntents() {
        assertBad(Payloads.identify(j("{'token':'t','intents':" + list(257) + "}")),
                "IDENTIFY data.intents has more than 256 entries");
    }

    @Test
    void identifyWithExactlyTheMaximumIntentsParses() {
        Payloads.Parsed<Payloads.Identify> p = Payloads.identify(j("{'token':'t','intents':" + list(256) + "}"));
        assertTrue(p.isOk());
        assertEquals(256, p.value().intents().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "'linux'", "1", "true"})
    void identifyWithNonObjectPropertiesIsRefusedNamingProperties(String props) {
        assertBad(Payloads.identify(j("{'token':'t','properties':" + props + "}")),
                "IDENTIFY data.properties must be an object");
    }

    @Test
    void identifyReportsTheTokenBeforeIntents() {
        assertBad(Payloads.identify(j("{'intents':1}")), "IDENTIFY data.token must be a string");
    }

    // --- RESUME

    @Test
    void resumeWithAllFieldsParses() {
        Payloads.Parsed<Payloads.Resume> p = Payloads.resume(j("{'token':'t','session_id':'s1','seq':42}"));
        assertTrue(p.isOk());
        assertEquals(new Payloads.Resume("t", "s1", 42), p.value());
    }

    @Test
    void resumeWithSeqZeroParses() {
        assertEquals(0, Payloads.resume(j("{'token':'t','session_id':'s','seq':0}")).value().seq());
    }

    @Test
    void resumeWithTheLargestLongSeqParses() {
        assertEquals(Long.MAX_VALUE,
                Payloads.resume(j("{'token':'t','session_id':'s','seq':" + Long.MAX_VALUE + "}")).value().seq());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "null", "'x'", "3"})
    void resumeDataThatIsNotAnObjectIsRefused(String data) {
        assertBad(Payloads.resume(j(data)), "RESUME data must be an object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'session_id':'s','seq':1}", "{'token':null,'session_id':'s','seq':1}",
            "{'token':5,'session_id':'s','seq':1}"})
    void resumeWithoutAStringTokenIsRefusedNamingToken(String data) {
        assertBad(Payloads.resume(j(data)), "RESUME data.token must be a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'token':'t','seq':1}", "{'token':'t','session_id':null,'seq':1}",
            "{'token':'t','session_id':7,'seq':1}", "{'token':'t','sessionId':'s','seq':1}"})
    void resumeWithoutAStringSessionIdIsRefusedNamingSessionId(String data) {
        assertBad(Payloads.resume(j(data)), "RESUME data.session_id must be a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",'seq':null", ",'seq':-1", ",'seq':" + Long.MIN_VALUE, ",'seq':1.0", ",'seq':1.5",
            ",'seq':'5'", ",'seq':true", ",'seq':[1]", ",'seq':9223372036854775808",
            ",'seq':100000000000000000000000", ",'seq':1e3"})
    void resumeWithoutANonNegativeIntegerSeqIsRefusedNamingSeq(String seq) {
        assertBad(Payloads.resume(j("{'token':'t','session_id':'s'" + seq + "}")),
                "RESUME data.seq must be a non-negative integer");
    }

    @Test
    void resumeReportsTokenThenSessionIdThenSeq() {
        assertBad(Payloads.resume(j("{'seq':-1}")), "RESUME data.token must be a string");
        assertBad(Payloads.resume(j("{'token':'t','seq':-1}")), "RESUME data.session_id must be a string");
    }

    // --- SUBSCRIBE

    @Test
    void subscribeWithAddAndRemoveParses() {
        Payloads.Parsed<Payloads.Subscribe> p = Payloads.subscribe(j("{'add':['a','b'],'remove':['c']}"));
        assertTrue(p.isOk());
        assertEquals(new Payloads.Subscribe(List.of("a", "b"), List.of("c")), p.value());
    }

    @Test
    void subscribeWithNothingIsTwoEmptyLists() {
        assertEquals(new Payloads.Subscribe(List.of(), List.of()), Payloads.subscribe(j("{}")).value());
        assertEquals(new Payloads.Subscribe(List.of(), List.of()),
                Payloads.subscribe(j("{'add':null,'remove':null}")).value());
        assertEquals(new Payloads.Subscribe(List.of(), List.of()),
                Payloads.subscribe(j("{'add':[],'remove':[]}")).value());
    }

    @Test
    void subscribeKeepsEntriesVerbatimForTheRulesToJudge() {
        assertEquals(List.of("", "bad topic", "a"),
                Payloads.subscribe(j("{'add':['','bad topic','a']}")).value().add());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "null", "'a'", "0"})
    void subscribeDataThatIsNotAnObjectIsRefused(String data) {
        assertBad(Payloads.subscribe(j(data)), "SUBSCRIBE data must be an object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"'a'", "1", "{}", "[1]", "['a',null]", "[['a']]", "[{'t':'a'}]", "false"})
    void subscribeWithBadAddIsRefusedNamingAdd(String add) {
        assertBad(Payloads.subscribe(j("{'add':" + add + ",'remove':['x']}")),
                "SUBSCRIBE data.add must be an array of strings");
    }

    @ParameterizedTest
    @ValueSource(strings = {"'a'", "1", "{}", "[1]", "['a',null]", "[true]"})
    void subscribeWithBadRemoveIsRefusedNamingRemove(String remove) {
        assertBad(Payloads.subscribe(j("{'add':['x'],'remove':" + remove + "}")),
                "SUBSCRIBE data.remove must be an array of strings");
    }

    @Test
    void subscribeReportsAddBeforeRemove() {
        assertBad(Payloads.subscribe(j("{'add':1,'remove':1}")), "SUBSCRIBE data.add must be an array of strings");
    }

    @Test
    void subscribeWithTooManyAddsIsRefusedNamingAdd() {
        assertBad(Payloads.subscribe(j("{'add':" + list(257) + "}")), "SUBSCRIBE data.add has more than 256 entries");
    }

    @Test
    void subscribeWithTooManyRemovesIsRefusedNamingRemove() {
        assertBad(Payloads.subscribe(j("{'remove':" + list(257) + "}")),
                "SUBSCRIBE data.remove has more than 256 entries");
    }

    @Test
    void subscribeWithExactlyTheMaximumParses() {
        Payloads.Parsed<Payloads.Subscribe> p = Payloads.subscribe(
                j("{'add':" + list(256) + ",'remove':" + list(256) + "}"));
        assertTrue(p.isOk());
        assertEquals(256, p.value().add().size());
        assertEquals(256, p.value().remove().size());
    }

    @Test
    void parsedOkAndBadAreDistinguishable() {
        assertTrue(Payloads.Parsed.ok("v").isOk());
        assertFalse(Payloads.Parsed.bad("e").isOk());
    }

    @Test
    void aRequestParsesWithOrWithoutData() {
        Payloads.Parsed<Payloads.Request> p = Payloads.request(j("{'correlation_id':'c-1','type':'location.get','data':{'x':1}}"));
        assertTrue(p.isOk(), p.error());
        assertEquals("c-1", p.value().correlationId());
        assertEquals("location.get", p.value().type());
        assertEquals(1, p.value().data().path("x").asInt());
        assertTrue(Payloads.request(j("{'correlation_id':'c','type':'t'}")).value().data().isNull());
    }

    @Test
    void aRequestNamesWhatIsWrong() {
        assertBad(Payloads.request(j("[]")), "REQUEST data must be an object");
        assertBad(Payloads.request(j("{'type':'t'}")), "REQUEST data.correlation_id must match [A-Za-z0-9_.:-]{1,64}");
        assertBad(Payloads.request(j("{'correlation_id':'has space','type':'t'}")),
                "REQUEST data.correlation_id must match [A-Za-z0-9_.:-]{1,64}");
        assertBad(Payloads.request(j("{'correlation_id':'" + "c".repeat(65) + "','type':'t'}")),
                "REQUEST data.correlation_id must match [A-Za-z0-9_.:-]{1,64}");
        assertBad(Payloads.request(j("{'correlation_id':'c'}")), "REQUEST data.type must match [a-z0-9_.]{1,64}");
        assertBad(Payloads.request(j("{'correlation_id':'c','type':'Upper'}")), "REQUEST data.type must match [a-z0-9_.]{1,64}");
        assertBad(Payloads.request(j("{'correlation_id':7,'type':'t'}")),
                "REQUEST data.correlation_id must match [A-Za-z0-9_.:-]{1,64}");
    }
}
