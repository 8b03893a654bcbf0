package io.appmanager.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan-out writes frames to the Vert.x socket under WebSockets Next through a package-private
 * accessor (decision 0013). A Quarkus upgrade that renames it would silently fall back to the slower
 * {@code sendText} path; this test makes that upgrade fail instead. That frames written this way
 * arrive complete and in order is what every gateway test (FanoutTest, ResumeTest, ...) shows.
 */
class SocketWriterTest {

    @Test
    void framesBypassTheMutinyWrapperOnThisQuarkusVersion() {
        assertTrue(SocketWriter.direct(), "WebSocketConnectionBase.webSocket() not found: see decision 0013");
    }
}
