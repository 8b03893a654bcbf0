package io.appmanager.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class InboundFrameTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static InboundFrame decode(String s) {
        return InboundFrame.decode(JSON, s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wellFormedFrameDecodesOpAndData() {
        InboundFrame.Frame f = assertInstanceOf(InboundFrame.Frame.class,
                decode("{\"op\":2,\"data\":{\"token\":\"t\"}}"));
        assertEquals(2, f.op());
        assertEquals("t", f.data().get("token").textValue());
    }

    @Test
    void missingDataBecomesNullNode() {
        InboundFrame.Frame f = assertInstanceOf(InboundFrame.Frame.class, decode("{\"op\":1}"));
        assertEquals(1, f.op());
        assertSame(NullNode.getInstance(), f.data());
    }

    @Test
    void explicitNullDataIsANullNode() {
        InboundFrame.Frame f = assertInstanceOf(InboundFrame.Frame.class, decode("{\"op\":1,\"data\":null}"));
        assertEquals(NullNode.getInstance(), f.data());
    }

    @Test
    void nonObjectDataIsPassedThroughForTheHandlerToJudge() {
        InboundFrame.Frame f = assertInstanceOf(InboundFrame.Frame.class, decode("{\"op\":1,\"data\":42}"));
        assertEquals(42, f.data().intValue());
    }

    @Test
    void otherEnvelopeFieldsAreIgnored() {
        InboundFrame.Frame f = assertInstanceOf(InboundFrame.Frame.class,
                decode("{\"op\":12,\"d\":1,\"s\":null,\"t\":\"X\",\"data\":{}}"));
        assertEquals(12, f.op());
    }

    @Test
    void negativeOpDecodesForTheRulesToRefuse() {
        assertEquals(-1, assertInstanceOf(InboundFrame.Frame.class, decode("{\"op\":-1}")).op());
    }

    @Test
    void opAtTheIntLimitsDecodes() {
        assertEquals(Integer.MAX_VALUE,
                assertInstanceOf(InboundFrame.Frame.class, decode("{\"op\":2147483647}")).op());
        assertEquals(Integer.MIN_VALUE,
                assertInstanceOf(InboundFrame.Frame.class, decode("{\"op\":-2147483648}")).op());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{", "{\"op\":1", "{op:1}", "{'op':1}", "\u00ff\u00fe"})
    void textThatIsNotJsonIsUndecodable(String s) {
        assertEquals(new InboundFrame.Undecodable("not JSON"), decode(s));
    }

    @Test
    void invalidUtf8IsUndecodable() {
        InboundFrame f = InboundFrame.decode(JSON, new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        assertEquals(new InboundFrame.Undecodable("not JSON"), f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"op\":1}]", "1", "\"op\"", "null", "true", ""})
    void jsonThatIsNotAnObjectIsUndecodable(String s) {
        assertEquals(new InboundFrame.Undecodable("frame must be a JSON object"), decode(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"data\":{}}",
            "{\"op\":null}",
            "{\"op\":\"1\"}",
            "{\"op\":1.0}",
            "{\"op\":1.5}",
            "{\"op\":1e2}",
            "{\"op\":true}",
            "{\"op\":[1]}",
            "{\"op\":{}}",
            "{\"op\":2147483648}",
            "{\"op\":-2147483649}",
            "{\"op\":99999999999999999999999}",
            "{\"OP\":1}",
    })
    void opThatIsNotAnIntIsUndecodable(String s) {
        assertEquals(new InboundFrame.Undecodable("op must be an integer"), decode(s));
    }
}
