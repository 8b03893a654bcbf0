package io.appmanager.gateway;

import io.appmanager.gateway.InboundRules.Decision;
import io.appmanager.gateway.InboundRules.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InboundRulesTest {

    private static final Decision ACK = new Decision.AckHeartbeat();
    private static final Decision IDENTIFY = new Decision.Identify();
    private static final Decision RESUME = new Decision.Resume();
    private static final Decision SUBSCRIBE = new Decision.Subscribe();
    private static final Decision IGNORE = new Decision.Ignore();

    private static Decision beforeIdentify(int op) {
        return new Decision.InvalidSessionThenClose(CloseCodes.NOT_AUTHENTICATED, "op " + op + " before IDENTIFY");
    }

    private static Decision unknown(int op) {
        return new Decision.Close(CloseCodes.UNKNOWN_OPCODE, "unknown op " + op);
    }

    private static final Decision ALREADY = new Decision.Close(CloseCodes.ALREADY_AUTHENTICATED, "already authenticated");

    /** The whole table: every phase x op 0..14, a negative op and a big op. */
    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        // HANDSHAKE: only HEARTBEAT, IDENTIFY and RESUME are welcome
        rows.add(Arguments.of(Phase.HANDSHAKE, 0, beforeIdentify(0)));
        rows.add(Arguments.of(Phase.HANDSHAKE, 1, ACK));
        rows.add(Arguments.of(Phase.HANDSHAKE, 2, IDENTIFY));
        rows.add(Arguments.of(Phase.HANDSHAKE, 3, RESUME));
        for (int op = 4; op <= 14; op++) {
            rows.add(Arguments.of(Phase.HANDSHAKE, op, beforeIdentify(op)));
        }
        rows.add(Arguments.of(Phase.HANDSHAKE, -1, beforeIdentify(-1)));
        rows.add(Arguments.of(Phase.HANDSHAKE, Integer.MIN_VALUE, beforeIdentify(Integer.MIN_VALUE)));
        rows.add(Arguments.of(Phase.HANDSHAKE, 1000, beforeIdentify(1000)));
        rows.add(Arguments.of(Phase.HANDSHAKE, Integer.MAX_VALUE, beforeIdentify(Integer.MAX_VALUE)));
        // READY
        rows.add(Arguments.of(Phase.READY, 0, unknown(0)));
        rows.add(Arguments.of(Phase.READY, 1, ACK));
        rows.add(Arguments.of(Phase.READY, 2, ALREADY));
        rows.add(Arguments.of(Phase.READY, 3, ALREADY));
        rows.add(Arguments.of(Phase.READY, 4, unknown(4)));
        rows.add(Arguments.of(Phase.READY, 5, unknown(5)));
        rows.add(Arguments.of(Phase.READY, 6, unknown(6)));
        rows.add(Arguments.of(Phase.READY, 7, unknown(7)));
        rows.add(Arguments.of(Phase.READY, 8, IGNORE));
        rows.add(Arguments.of(Phase.READY, 9, IGNORE));
        rows.add(Arguments.of(Phase.READY, 10, IGNORE));
        rows.add(Arguments.of(Phase.READY, 11, IGNORE));
        rows.add(Arguments.of(Phase.READY, 12, SUBSCRIBE));
        rows.add(Arguments.of(Phase.READY, 13, new Decision.Request()));
        rows.add(Arguments.of(Phase.READY, 14, unknown(14)));
        rows.add(Arguments.of(Phase.READY, -1, unknown(-1)));
        rows.add(Arguments.of(Phase.READY, Integer.MIN_VALUE, unknown(Integer.MIN_VALUE)));
        rows.add(Arguments.of(Phase.READY, 1000, unknown(1000)));
        rows.add(Arguments.of(Phase.READY, Integer.MAX_VALUE, unknown(Integer.MAX_VALUE)));
        // CLOSING: everything in flight is ignored
        for (int op = 0; op <= 14; op++) {
            rows.add(Arguments.of(Phase.CLOSING, op, IGNORE));
        }
        rows.add(Arguments.of(Phase.CLOSING, -1, IGNORE));
        rows.add(Arguments.of(Phase.CLOSING, Integer.MIN_VALUE, IGNORE));
        rows.add(Arguments.of(Phase.CLOSING, 1000, IGNORE));
        rows.add(Arguments.of(Phase.CLOSING, Integer.MAX_VALUE, IGNORE));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} op {1} -> {2}")
    @MethodSource("table")
    void decideFollowsTheTable(Phase phase, int op, Decision expected) {
        assertEquals(expected, InboundRules.decide(phase, op));
    }

    @Test
    void tableCoversEveryPhase() {
        assertEquals(Phase.values().length,
                table().map(a -> a.get()[0]).distinct().count());
    }

    @Test
    void opcodeConstantsAreTheOnesTheTableAssumes() {
        assertEquals(1, OpCodes.HEARTBEAT);
        assertEquals(2, OpCodes.IDENTIFY);
        assertEquals(3, OpCodes.RESUME);
        assertEquals(12, OpCodes.SUBSCRIBE);
        assertEquals(8, OpCodes.PRESENCE_UPDATE);
        assertEquals(11, OpCodes.VOICE_SIGNAL);
    }

    @Test
    void undecodableBeforeIdentifyTellsInvalidSessionThenClosesWithDecodeError() {
        assertEquals(new Decision.InvalidSessionThenClose(CloseCodes.DECODE_ERROR, "not JSON"),
                InboundRules.undecodable(Phase.HANDSHAKE, "not JSON"));
    }

    @Test
    void undecodableWhenReadyClosesWithDecodeError() {
        assertEquals(new Decision.Close(CloseCodes.DECODE_ERROR, "op must be an integer"),
                InboundRules.undecodable(Phase.READY, "op must be an integer"));
    }

    @Test
    void undecodableWhileClosingIsIgnored() {
        assertEquals(IGNORE, InboundRules.undecodable(Phase.CLOSING, "not JSON"));
    }

    @ParameterizedTest
    @EnumSource(Phase.class)
    void undecodableKeepsTheReasonWhenItCloses(Phase phase) {
        Decision d = InboundRules.undecodable(phase, "why: \u00e9");
        String reason = null;
        if (d instanceof Decision.Close c) {
            reason = c.reason();
        } else if (d instanceof Decision.InvalidSessionThenClose c) {
            reason = c.reason();
        }
        if (phase == Phase.CLOSING) {
            assertEquals(null, reason);
        } else {
            assertEquals("why: \u00e9", reason);
        }
    }

    @Test
    void closeCodesCarryTheAccordNumbers() {
        assertEquals(4001, CloseCodes.UNKNOWN_OPCODE.code);
        assertEquals(4002, CloseCodes.DECODE_ERROR.code);
        assertEquals(4003, CloseCodes.NOT_AUTHENTICATED.code);
        assertEquals(4005, CloseCodes.ALREADY_AUTHENTICATED.code);
    }
}
