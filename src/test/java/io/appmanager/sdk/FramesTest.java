package io.appmanager.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FramesTest {

    private static JsonNode json(String text) throws Exception {
        return Frames.MAPPER.readTree(text);
    }

    @Test
    void parsesEventEnvelope() throws Exception {
        InboundFrame frame = Frames.parse("{\"op\":0,\"seq\":42,\"type\":\"a.b\",\"data\":{\"x\":1}}");
        assertEquals(0, frame.op());
        assertEquals(OptionalLong.of(42), frame.seq());
        assertEquals("a.b", frame.type());
        assertEquals(1, frame.data().path("x").asInt());
    }

    @Test
    void parsesOpWithoutSeqOrData() throws Exception {
        InboundFrame frame = Frames.parse("{\"op\":4}");
        assertEquals(4, frame.op());
        assertFalse(frame.seq().isPresent());
        assertTrue(frame.data().isMissingNode());
    }

    @Test
    void rejectsNonFrames() {
        assertThrows(IllegalArgumentException.class, () -> Frames.parse("[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> Frames.parse("{\"op\":\"0\"}"));
        assertThrows(Exception.class, () -> Frames.parse("{not json"));
    }

    @Test
    void identifyCarriesTokenVerbatimIntentsAndMergedProperties() throws Exception {
        JsonNode frame = json(Frames.identify("Bot abc", List.of("messages", "presence"),
                Frames.identifyProperties(Map.of("app", "demo"))));
        assertEquals(2, frame.path("op").asInt());
        assertEquals("Bot abc", frame.path("data").path("token").asText());
        assertEquals("presence", frame.path("data").path("intents").get(1).asText());
        JsonNode properties = frame.path("data").path("properties");
        assertEquals("appmanager-java-sdk", properties.path("client").asText());
        assertEquals("0.1.0", properties.path("version").asText());
        assertEquals(System.getProperty("os.name"), properties.path("os").asText());
        assertEquals("demo", properties.path("app").asText());
    }

    @Test
    void resumeCarriesSessionAndSeq() throws Exception {
        JsonNode frame = json(Frames.resume("Bearer t", "s-1", 17));
        assertEquals(3, frame.path("op").asInt());
        assertEquals("Bearer t", frame.path("data").path("token").asText());
        assertEquals("s-1", frame.path("data").path("session_id").asText());
        assertEquals(17, frame.path("data").path("seq").asLong());
    }

    @Test
    void heartbeatCarriesLastSeqOrNull() throws Exception {
        assertTrue(json(Frames.heartbeat(0)).path("data").isNull());
        assertEquals(5, json(Frames.heartbeat(5)).path("data").asLong());
        assertEquals(1, json(Frames.heartbeat(5)).path("op").asInt());
    }

    @Test
    void subscribeFrame() throws Exception {
        JsonNode frame = json(Frames.outbound(12, Frames.subscription(List.of("a"), List.of("b", "c"))));
        assertEquals(12, frame.path("op").asInt());
        assertEquals("a", frame.path("data").path("add").get(0).asText());
        assertEquals(2, frame.path("data").path("remove").size());
    }
}
