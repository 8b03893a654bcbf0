package io.appmanager.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.appmanager.sdk.CloseCodes.CloseAction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloseCodesTest {

    @ParameterizedTest
    @ValueSource(ints = {4003, 4004, 4012, 4013, 4014})
    void credentialCodesAreFatalButRefreshable(int code) {
        assertTrue(CloseCodes.isFatal(code));
        assertEquals(CloseAction.REFRESH_TOKEN, CloseCodes.classify(code));
    }

    @ParameterizedTest
    @ValueSource(ints = {4015, 4016, 4017, 4018, 4019})
    void ownershipAndPlatformDecisionsFailWithoutRefresh(int code) {
        assertTrue(CloseCodes.isFatal(code));
        assertEquals(CloseAction.FAIL, CloseCodes.classify(code));
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1006, 1011, 4000, 4001, 4002, 4005, 4007, 4008, 4009, 4010, 4011, 4999, 3000})
    void everythingElseReconnects(int code) {
        assertFalse(CloseCodes.isFatal(code));
        assertEquals(CloseAction.RECONNECT, CloseCodes.classify(code));
    }
}
