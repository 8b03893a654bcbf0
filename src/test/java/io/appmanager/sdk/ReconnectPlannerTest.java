package io.appmanager.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.appmanager.sdk.ReconnectPlan.Action;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconnectPlannerTest {
    private static final int MAX = 3;

    @Test
    void retriesCountUpThenEscalateOnceThenFail() {
        DisconnectCycle cycle = DisconnectCycle.FRESH;
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ReconnectPlan plan = ReconnectPlanner.plan(cycle, 1006, MAX);
            steps.add(plan.action() + ":" + plan.attempt());
            cycle = plan.nextCycle();
            if (plan.action() == Action.FAIL) {
                break;
            }
        }
        assertEquals(List.of("RETRY:1", "RETRY:2", "RETRY:3", "ESCALATE:1", "RETRY:2", "RETRY:3", "FAIL:0"), steps);
    }

    @Test
    void fatalCloseRefreshesOnceThenFails() {
        ReconnectPlan first = ReconnectPlanner.plan(DisconnectCycle.FRESH, 4004, MAX);
        assertEquals(Action.REFRESH_TOKEN, first.action());
        assertEquals(1, first.attempt());
        assertTrue(first.nextCycle().tokenRefreshUsed());

        ReconnectPlan second = ReconnectPlanner.plan(first.nextCycle(), 4012, MAX);
        assertEquals(Action.FAIL, second.action());
        assertTrue(second.reason().contains("4012"), second.reason());
    }

    @Test
    void freshCycleAllowsAnotherRefresh() {
        ReconnectPlan afterReady = ReconnectPlanner.plan(DisconnectCycle.FRESH, 4003, MAX);
        assertEquals(Action.REFRESH_TOKEN, afterReady.action());
    }

    @Test
    void transientFailuresAfterRefreshKeepCountingFromTheRefresh() {
        DisconnectCycle cycle = ReconnectPlanner.plan(DisconnectCycle.FRESH, 4004, MAX).nextCycle();
        ReconnectPlan plan = ReconnectPlanner.plan(cycle, 1006, MAX);
        assertEquals(Action.RETRY, plan.action());
        assertEquals(2, plan.attempt());
    }

    @Test
    void sessionReplacedFailsImmediately() {
        ReconnectPlan plan = ReconnectPlanner.plan(DisconnectCycle.FRESH, 4015, MAX);
        assertEquals(Action.FAIL, plan.action());
        assertTrue(plan.reason().contains("replaced"), plan.reason());
    }
}
