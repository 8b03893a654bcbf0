package io.appmanager.apps;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconnectTokensTest {

    @Test
    void aMintedTokenNamesItsGenerationAndMatchesOnlyItsOwnHash() {
        String token = ReconnectTokens.mint(42);
        ReconnectTokens.Parsed parsed = ReconnectTokens.parse(token);
        assertEquals(Optional.of(42L), ReconnectTokens.generationOf(parsed));
        String hash = ReconnectTokens.hash(token);
        assertEquals(64, hash.length());
        assertTrue(ReconnectTokens.matches(token, hash));
        assertFalse(ReconnectTokens.matches(ReconnectTokens.mint(42), hash), "another token of the same generation");
        assertFalse(ReconnectTokens.matches(token, null));
    }

    @Test
    void tokensAreRandom() {
        assertNotEquals(ReconnectTokens.mint(1), ReconnectTokens.mint(1));
    }

    @Test
    void anythingElseIsMalformed() {
        for (String bad : new String[]{null, "", "rt_", "rt_x_" + "A".repeat(43), "rt_1_" + "A".repeat(42),
                "rt_1_" + "A".repeat(44), "rt_1_" + "A".repeat(42) + "!", "xx_1_" + "A".repeat(43),
                "rt_1234567890123456789_" + "A".repeat(43)}) {
            ReconnectTokens.Parsed p = ReconnectTokens.parse(bad);
            assertInstanceOf(ReconnectTokens.Parsed.Malformed.class, p, String.valueOf(bad));
            assertEquals(Optional.empty(), ReconnectTokens.generationOf(p));
        }
    }
}
