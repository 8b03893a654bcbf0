package io.appmanager.it;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged service (production profile) does not start without a sealing key, and says what to set. */
class SealingKeyRequiredIT {

    @Test
    void missingSealingKeyStopsStartupNamingThePropertyAndHowToMakeOne() {
        // an empty value is no value: it overrides the key PackagedService passes
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PackagedService.start(Map.of("appmanager.apps.secret-key", "")).close());
        assertTrue(e.getMessage().contains("no appmanager.apps.secret-key configured"), e.getMessage());
        assertTrue(e.getMessage().contains("openssl rand -base64 32"), e.getMessage());
    }
}
