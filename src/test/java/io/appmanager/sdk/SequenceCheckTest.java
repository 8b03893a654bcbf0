package io.appmanager.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SequenceCheckTest {

    @Test
    void nextEventMustIncrementByOne() {
        assertEquals(OptionalLong.empty(), SequenceCheck.unexpected(4, 5, "message.created"));
        assertEquals(OptionalLong.of(5), SequenceCheck.unexpected(4, 7, "message.created"), "gap");
        assertEquals(OptionalLong.of(5), SequenceCheck.unexpected(4, 4, "message.created"), "repeat");
    }

    @Test
    void resumedRepeatsTheLastSeq() {
        assertEquals(OptionalLong.empty(), SequenceCheck.unexpected(9, 9, "resumed"));
        assertEquals(OptionalLong.of(9), SequenceCheck.unexpected(9, 10, "resumed"));
    }

    @Test
    void readyStartsAtOne() {
        assertEquals(OptionalLong.empty(), SequenceCheck.unexpected(0, 1, "ready"));
        assertEquals(OptionalLong.empty(), SequenceCheck.unexpected(17, 1, "ready"), "a new session restarts the count");
        assertEquals(OptionalLong.of(1), SequenceCheck.unexpected(0, 2, "ready"));
    }
}
