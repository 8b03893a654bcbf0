package io.appmanager.apps;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SDK connections during a restart are held, not refused, and go through once the restart is worked off. */
class RestartGateTest {

    @Test
    void workWaitsUntilTheGateOpensThenRunsOnce() {
        RestartGate gate = new RestartGate();
        AtomicInteger ran = new AtomicInteger();
        UniAssertSubscriber<String> held = gate.after(() -> {
            ran.incrementAndGet();
            return Uni.createFrom().item("attached");
        }).subscribe().withSubscriber(UniAssertSubscriber.create());
        assertFalse(gate.isOpen());
        assertEquals(0, ran.get(), "nothing runs while the node restores");
        held.assertNotTerminated();

        gate.open();
        held.assertCompleted().assertItem("attached");
        assertEquals(1, ran.get());
        assertTrue(gate.isOpen());
    }

    @Test
    void afterOpeningWorkRunsAtOnce() {
        RestartGate gate = new RestartGate();
        gate.open();
        gate.open();
        gate.after(() -> Uni.createFrom().item(7)).subscribe().withSubscriber(UniAssertSubscriber.create())
                .assertCompleted().assertItem(7);
    }
}
