package io.appmanager.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryCheckTest {

    @Test
    void nullQueryIsAcceptable() {
        assertNull(QueryCheck.problem(null));
    }

    @Test
    void emptyQueryIsAcceptable() {
        assertNull(QueryCheck.problem(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "v=1&encoding=json",
            "encoding=json&v=1",
            "v=1",
            "encoding=json",
            "compress=zlib-stream",
            "v=1&encoding=json&compress=zlib-stream",
            "v=%31",
            "encoding=%6A%73%6F%6E",
            "%76=1",
            "v=1&",
            "&v=1",
            "&&",
            "other",
            "x=1&y=2",
    })
    void acceptableQueries(String query) {
        assertNull(QueryCheck.problem(query), query);
    }

    @Test
    void versionTwoIsAProblemNamingTheVersion() {
        String p = QueryCheck.problem("v=2&encoding=json");
        assertNotNull(p);
        assertTrue(p.contains("v=2"), p);
    }

    @Test
    void etfEncodingIsAProblemNamingTheEncoding() {
        String p = QueryCheck.problem("v=1&encoding=etf");
        assertNotNull(p);
        assertTrue(p.contains("etf"), p);
    }

    @Test
    void badVersionIsFoundWhateverTheParameterOrder() {
        assertNotNull(QueryCheck.problem("encoding=json&v=2"));
        assertNotNull(QueryCheck.problem("encoding=etf&v=1"));
    }

    @Test
    void urlEncodedBadValuesAreDecodedBeforeTheCheck() {
        String p = QueryCheck.problem("v=%32");
        assertNotNull(p);
        assertTrue(p.contains("v=2"), p);
        String e = QueryCheck.problem("encoding=%65tf");
        assertNotNull(e);
        assertTrue(e.contains("etf"), e);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "v=",
            "v",
            "v=1.0",
            "v=01",
            "v=1+",
            "v=%201",
            "v=1&v=2",
            "v=2&v=1",
            "encoding=",
            "encoding",
            "encoding=JSON",
            "encoding=json+",
            "v=%zz",
            "encoding=%",
            "%76=2",
    })
    void problemQueries(String query) {
        assertNotNull(QueryCheck.problem(query), query);
    }

    @Test
    void parameterNamesAreCaseSensitiveSoOthersAreIgnored() {
        assertNull(QueryCheck.problem("V=2&Encoding=etf"));
    }
}
