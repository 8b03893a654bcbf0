package io.appmanager.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

    @ParameterizedTest(name = "{0} > {1}")
    @CsvSource({
        "0.1.1, 0.1.0",
        "0.2.0, 0.1.9",
        "1.0.0, 0.99.99",
        "0.10.0, 0.9.0",      // numeric, not lexicographic
        "0.1.10, 0.1.9",
        "2, 1.9.9",
        "v1.2.4, 1.2.3",
        "1.3.0-rc.1, 1.2.9",
    })
    void comparesNumerically(String newer, String older) {
        assertTrue(SemVer.isNewer(newer, older));
        assertFalse(SemVer.isNewer(older, newer));
    }

    @ParameterizedTest
    @CsvSource({"0.1.0, 0.1.0", "1, 1.0.0", "1.2, 1.2.0", "1.2.3-beta, 1.2.3", "1.2.3+build.7, 1.2.3"})
    void equalVersionsAreNotNewer(String a, String b) {
        assertFalse(SemVer.isNewer(a, b));
        assertFalse(SemVer.isNewer(b, a));
        assertEquals(0, SemVer.parse(a).orElseThrow().compareTo(SemVer.parse(b).orElseThrow()));
    }

    @Test
    void parsesParts() {
        assertEquals(Optional.of(new SemVer(3, 14, 159)), SemVer.parse(" v3.14.159 "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.x.0", "1.2.3.4", "1..2", "-1.0.0", "99999999999.0.0"})
    void rejectsNonVersions(String text) {
        assertEquals(Optional.empty(), SemVer.parse(text));
        assertFalse(SemVer.isNewer(text, "0.0.1"), "an unparseable version never triggers a notice");
    }

    @Test
    void nullIsNotAVersion() {
        assertEquals(Optional.empty(), SemVer.parse(null));
        assertFalse(SemVer.isNewer(null, "0.1.0"));
    }
}
