package io.appmanager.gateway;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class CloseCodesTest {

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Strict UTF-8 length: fails on unpaired surrogates instead of substituting '?'. */
    private static int strictUtf8(String s) {
        CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer b = enc.encode(CharBuffer.wrap(s));
            return b.remaining();
        } catch (CharacterCodingException e) {
            fail("not well-formed UTF-16 (unpaired surrogate): " + s.chars().mapToObj(Integer::toHexString).toList());
            return -1;
        }
    }

    @Test
    void maxReasonBytesLeavesRoomForTheCodeInA125ByteFrame() {
        assertEquals(123, CloseCodes.MAX_REASON_BYTES);
    }

    @Test
    void shortReasonIsUnchanged() {
        assertSame("bye", CloseCodes.fit("bye"));
    }

    @Test
    void emptyReasonIsUnchanged() {
        assertEquals("", CloseCodes.fit(""));
    }

    @Test
    void reasonOfExactly123BytesIsUnchanged() {
        String r = "a".repeat(123);
        assertEquals(r, CloseCodes.fit(r));
    }

    @Test
    void multibyteReasonOfExactly123BytesIsUnchanged() {
        String r = "\u00e9".repeat(61) + "a"; // 122 + 1
        assertEquals(123, utf8(r));
        assertEquals(r, CloseCodes.fit(r));
    }

    @Test
    void reasonOf124BytesIsCutWithEllipsis() {
        String r = "a".repeat(124);
        String f = CloseCodes.fit(r);
        assertEquals("a".repeat(120) + "...", f);
        assertEquals(123, utf8(f));
    }

    @Test
    void longAsciiReasonIsCutTo123BytesKeepingItsStart() {
        String r = "0123456789".repeat(100);
        String f = CloseCodes.fit(r);
        assertTrue(f.endsWith("..."));
        assertEquals(123, utf8(f));
        assertTrue(r.startsWith(f.substring(0, f.length() - 3)));
    }

    @Test
    void twoByteCharsAreNotSplit() {
        String r = "\u00e9".repeat(100); // 200 bytes
        String f = CloseCodes.fit(r);
        assertEquals("\u00e9".repeat(60) + "...", f);
        assertEquals(123, strictUtf8(f));
    }

    @Test
    void twoByteCharsStraddlingTheCutAreDroppedWhole() {
        String r = "a" + "\u00e9".repeat(100); // cut at 120 bytes falls inside a char
        String f = CloseCodes.fit(r);
        assertEquals("a" + "\u00e9".repeat(59) + "...", f);
        assertTrue(strictUtf8(f) <= 123);
    }

    @Test
    void threeByteCharsAreNotSplit() {
        String r = "\u20ac".repeat(100); // euro sign, 300 bytes
        String f = CloseCodes.fit(r);
        assertEquals("\u20ac".repeat(40) + "...", f);
        assertEquals(123, strictUtf8(f));
        String r2 = "ab" + "\u20ac".repeat(100);
        String f2 = CloseCodes.fit(r2);
        assertEquals("ab" + "\u20ac".repeat(39) + "...", f2);
        assertTrue(strictUtf8(f2) <= 123);
    }

    @Test
    void fourByteCharsAlignedWithTheCutAreKeptWhole() {
        String r = "\uD83D\uDE00".repeat(100); // emoji, 400 bytes
        String f = CloseCodes.fit(r);
        assertEquals("\uD83D\uDE00".repeat(30) + "...", f);
        assertEquals(123, strictUtf8(f));
    }

    @Test
    void fourByteCharsStraddlingTheCutAreDroppedWhole() {
        // 119 ASCII + emoji: the emoji's low surrogate goes first and the lone high surrogate
        // then 'weighs' 1 byte ('?'), so the loop stops with half an emoji
        String r = "a".repeat(119) + "\uD83D\uDE00".repeat(10);
        String f = CloseCodes.fit(r);
        assertEquals("a".repeat(119) + "...", f);
        assertTrue(strictUtf8(f) <= 123);
    }

    private static void assertEveryCutIsWellFormedAndFits(String... alphabet) {
        for (int prefix = 90; prefix <= 130; prefix++) {
            for (String c : alphabet) {
                String r = "a".repeat(prefix) + c.repeat(20);
                String f = CloseCodes.fit(r);
                if (utf8(r) <= 123) {
                    assertEquals(r, f);
                    continue;
                }
                assertTrue(f.endsWith("..."), f);
                String kept = f.substring(0, f.length() - 3);
                assertTrue(r.startsWith(kept));
                assertTrue(strictUtf8(f) <= 123, "prefix " + prefix + " char " + c);
                // as much as fits is kept: one more whole code point would not fit
                int next = r.codePointAt(kept.length());
                assertTrue(utf8(kept) + utf8(new String(Character.toChars(next))) > 120, "prefix " + prefix);
            }
        }
    }

    @Test
    void everyCutOfOneToThreeByteTextIsWellFormedFitsAndKeepsAllThatFits() {
        assertEveryCutIsWellFormedAndFits("a", "\u00e9", "\u20ac");
    }

    @Test
    void everyCutOfFourByteTextIsWellFormedFitsAndKeepsAllThatFits() {
        assertEveryCutIsWellFormedAndFits("\uD83D\uDE00", "\uD835\uDC00");
    }

    @Test
    void reconnectFlagsFollowTheProtocolTable() {
        assertTrue(CloseCodes.GOING_AWAY.reconnect);
        assertTrue(CloseCodes.INVALID_SEQ.reconnect);
        assertTrue(!CloseCodes.AUTHENTICATION_FAILED.reconnect);
        assertTrue(!CloseCodes.SESSION_REPLACED.reconnect);
        assertEquals(1001, CloseCodes.GOING_AWAY.code);
        assertEquals(4015, CloseCodes.SESSION_REPLACED.code);
    }
}
