package io.appmanager.fanout;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FeedCodecTest {

    private final FeedCodec codec = new FeedCodec(new ObjectMapper());
    private final EncodedEvent event = EncodedEvent.encode(new ObjectMapper(), 42, "message.create",
            List.of("space.1", "space.2"), java.util.Map.of("text", "line one\nline \"two\" ü"));

    private static void assertSameEvent(EncodedEvent expected, EncodedEvent actual) {
        assertEquals(expected.id(), actual.id());
        assertEquals(expected.type(), actual.type());
        assertEquals(expected.topics(), actual.topics());
        assertEquals(expected.tail(), actual.tail());
    }

    @Test
    void everyKindOfEntryRoundTrips() {
        FeedEntry.Publish p = (FeedEntry.Publish) codec.decode(codec.encode(new FeedEntry.Publish(event)));
        assertSameEvent(event, p.event());
        FeedEntry.Direct d = (FeedEntry.Direct) codec.decode(codec.encode(new FeedEntry.Direct("s1", event)));
        assertEquals("s1", d.sessionId());
        assertSameEvent(event, d.event());
        FeedEntry.Topics t = (FeedEntry.Topics) codec.decode(codec.encode(new FeedEntry.Topics("s1", List.of("a", "b"), event)));
        assertEquals(List.of("a", "b"), t.topics());
        assertSameEvent(event, t.update());
        FeedEntry.Topics bare = (FeedEntry.Topics) codec.decode(codec.encode(new FeedEntry.Topics("s1", List.of(), null)));
        assertEquals(null, bare.update());
        assertEquals(new FeedEntry.Takeover("s1", "node-2"), codec.decode(codec.encode(new FeedEntry.Takeover("s1", "node-2"))));
        assertEquals(new FeedEntry.Mark("node-1"), codec.decode(codec.encode(new FeedEntry.Mark("node-1"))));
        FeedEntry.CloseAppSocket close = new FeedEntry.CloseAppSocket("4b1e0c3a-0000-4000-8000-000000000001", 7, 4017, "stopped: \"user\"");
        assertEquals(close, codec.decode(codec.encode(close)));
    }

    @Test
    void theTailIsCarriedVerbatimSoFramesAreByteIdentical() {
        String body = codec.encode(new FeedEntry.Publish(event));
        assertEquals(event.tail(), body.substring(body.indexOf('\n') + 1));
        assertEquals(event.frame(7), ((FeedEntry.Publish) codec.decode(body)).event().frame(7));
    }

    @Test
    void bodiesThatAreNotEntriesAreRefusedNamingTheProblem() {
        assertEquals("no header line", assertThrows(FeedCodec.Undecodable.class, () -> codec.decode("{}")).getMessage());
        assertEquals("header is not JSON", assertThrows(FeedCodec.Undecodable.class, () -> codec.decode("{\n")).getMessage());
        assertEquals("unknown entry kind z", assertThrows(FeedCodec.Undecodable.class, () -> codec.decode("{\"k\":\"z\"}\n")).getMessage());
        assertEquals("event entry without id or tail",
                assertThrows(FeedCodec.Undecodable.class, () -> codec.decode("{\"k\":\"p\",\"y\":\"a\",\"t\":[]}\n")).getMessage());
        assertEquals("header field g missing",
                assertThrows(FeedCodec.Undecodable.class, () -> codec.decode("{\"k\":\"c\",\"a\":\"x\",\"c\":1,\"r\":\"\"}\n")).getMessage());
        assertEquals("header field s missing",
                assertThrows(FeedCodec.Undecodable.class, () -> codec.decode("{\"k\":\"x\",\"n\":\"a\"}\n")).getMessage());
    }
}
