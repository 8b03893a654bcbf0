package io.appmanager.gateway;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK keeps its own opcode table (it must not depend on the server); the two must agree. */
class OpCodesInStepTest {

    @Test
    void everySdkOpcodeHasTheServersNumber() throws Exception {
        int compared = 0;
        for (Field sdk : io.appmanager.sdk.OpCodes.class.getFields()) {
            if (!Modifier.isStatic(sdk.getModifiers()) || sdk.getType() != int.class) {
                continue;
            }
            Field server = OpCodes.class.getField(sdk.getName());
            assertEquals(server.getInt(null), sdk.getInt(null), sdk.getName());
            compared++;
        }
        assertTrue(compared >= 9, "compared " + compared);
    }
}
