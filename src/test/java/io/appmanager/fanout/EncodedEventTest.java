package io.appmanager.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncodedEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode parse(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static EncodedEvent withTail(String tail) {
        return new EncodedEvent(1, "t", List.of("t"), tail);
    }

    @Test
    void frameIsValidJsonWithOpZeroSeqTypeAndData() throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text", "hi \"there\"\n\u00e9\uD83D\uDE00");
        data.put("n", 3);
        data.put("nested", Map.of("a", List.of(1, 2)));
        EncodedEvent e = EncodedEvent.encode(JSON, 7, "message.create", List.of("chat.1"), data);
        JsonNode f = parse(e.frame(42));
        assertEquals(0, f.get("op").intValue());
        assertEquals(42, f.get("seq").longValue());
        assertEquals("message.create", f.get("type").textValue());
        assertEquals("hi \"there\"\n\u00e9\uD83D\uDE00", f.get("data").get("text").textValue());
        assertEquals(3, f.get("data").get("n").intValue());
        assertEquals(2, f.get("data").get("nested").get("a").get(1).intValue());
        assertEquals(4, f.size());
    }

    @Test
    void frameStartsWithTheSeqPrefix() {
        EncodedEvent e = EncodedEvent.encode(JSON, 1, "x", List.of("t"), Map.of());
        assertTrue(e.frame(5).startsWith("{\"op\":0,\"seq\":5,\"type\":\"x\""), e.frame(5));
    }

    @Test
    void framesForDifferentSeqsShareTheTail() throws Exception {
        EncodedEvent e = EncodedEvent.encode(JSON, 1, "x", List.of("t"), Map.of("k", "v"));
        assertEquals(1, parse(e.frame(1)).get("seq").longValue());
        assertEquals(Long.MAX_VALUE, parse(e.frame(Long.MAX_VALUE)).get("seq").longValue());
        assertEquals(0, parse(e.frame(0)).get("seq").longValue());
        assertTrue(e.frame(1).endsWith(e.tail()));
        assertTrue(e.frame(Long.MAX_VALUE).endsWith(e.tail()));
    }

    @Test
    void encodeFromAJsonNodeKeepsTheData() throws Exception {
        JsonNode data = parse("{\"a\":[1,{\"b\":null}],\"c\":1.5}");
        EncodedEvent e = EncodedEvent.encode(JSON, 1, "x", List.of("t"), data);
        assertEquals(data, parse(e.frame(1)).get("data"));
    }

    @Test
    void encodeEscapesTheType() throws Exception {
        EncodedEvent e = EncodedEvent.encode(JSON, 1, "we\"ird\\", List.of("t"), Map.of());
        assertEquals("we\"ird\\", parse(e.frame(1)).get("type").textValue());
    }

    @Test
    void encodeKeepsIdTypeAndTopics() {
        EncodedEvent e = EncodedEvent.encode(JSON, 99, "x.y", List.of("a", "b"), Map.of());
        assertEquals(99, e.id());
        assertEquals("x.y", e.type());
        assertEquals(List.of("a", "b"), e.topics());
    }

    @Test
    void encodeCopiesTopics() {
        List<String> topics = new ArrayList<>(List.of("a", "b"));
        EncodedEvent e = EncodedEvent.encode(JSON, 1, "x", topics, Map.of());
        topics.add("c");
        topics.set(0, "z");
        assertEquals(List.of("a", "b"), e.topics());
        assertThrows(UnsupportedOperationException.class, () -> e.topics().add("d"));
    }

    @Test
    void unserialisableDataIsAnIllegalArgument() {
        Object selfReferencing = new Object() {
            @SuppressWarnings("unused")
            public Object getSelf() {
                return this;
            }
        };
        assertThrows(IllegalArgumentException.class,
                () -> EncodedEvent.encode(JSON, 1, "x", List.of("t"), selfReferencing));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "\"type\":\"x\",\"data\":{}}", "hello world", "\u007f"})
    void utf8BytesOfAsciiIsTheLength(String tail) {
        assertEquals(tail.length(), withTail(tail).utf8Bytes());
        assertEquals(tail.getBytes(StandardCharsets.UTF_8).length, withTail(tail).utf8Bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0080", "\u00e9", "\u07ff", "\u0416"})
    void utf8BytesOfTwoByteCharsIsTwo(String c) {
        assertEquals(2, withTail(c).utf8Bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0800", "\u20ac", "\uffff", "\ud7ff", "\ue000", "\u4e2d"})
    void utf8BytesOfThreeByteCharsIsThree(String c) {
        assertEquals(3, withTail(c).utf8Bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD83D\uDE00", "\uD800\uDC00", "\uDBFF\uDFFF", "\uD835\uDC00"})
    void utf8BytesOfFourByteCharsIsFour(String c) {
        assertEquals(4, withTail(c).utf8Bytes());
    }

    @Test
    void utf8BytesOfMixedTextMatchesTheJdk() {
        String s = "a\u00e9\u20ac\uD83D\uDE00b".repeat(50) + "\"type\":\"x\",\"data\":{\"t\":\"\u4e2d\u6587\"}}";
        assertEquals(s.getBytes(StandardCharsets.UTF_8).length, withTail(s).utf8Bytes());
        assertEquals(583, withTail(s).utf8Bytes());
    }

    @Test
    void utf8BytesOfAnEncodedEventMatchesItsTailBytes() {
        EncodedEvent e = EncodedEvent.encode(JSON, 1, "x", List.of("t"), Map.of("t", "\u00e9\u20ac\uD83D\uDE00"));
        assertEquals(e.tail().getBytes(StandardCharsets.UTF_8).length, e.utf8Bytes());
    }

    @Test
    void weightIsTheTailPlusTheSeqPrefixAllowance() {
        assertEquals(34, withTail("").weight());
        assertEquals(44, withTail("x".repeat(10)).weight());
    }

    @Test
    void seqPrefixAllowanceCoversTheLongestSeq() {
        EncodedEvent e = withTail("");
        assertTrue(e.frame(Long.MAX_VALUE).length() <= e.weight(), e.frame(Long.MAX_VALUE));
    }
}
