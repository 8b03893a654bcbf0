package io.appmanager.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.appmanager.sdk.VersionNotice.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionCheckTest {

    private static List<Kind> kinds(String api, String min, String latest) {
        return VersionCheck.evaluate(api, min, latest, "v1", "0.1.0").stream().map(VersionNotice::kind).toList();
    }

    @Test
    void matchingVersionsProduceNoNotice() {
        assertEquals(List.of(), kinds("v1", "0.1.0", "0.1.0"));
        assertEquals(List.of(), kinds("v1", "0.0.9", "0.1.0"));
        assertEquals(List.of(), kinds("v1", null, null));
    }

    @Test
    void otherApiVersionIsReported() {
        List<VersionNotice> notices = VersionCheck.evaluate("v2", "0.1.0", "0.1.0", "v1", "0.1.0");
        assertEquals(1, notices.size());
        VersionNotice notice = notices.get(0);
        assertEquals(Kind.API_VERSION, notice.kind());
        assertEquals("v1", notice.clientVersion());
        assertEquals("v2", notice.serverVersion());
        assertTrue(notice.message().contains("v2"));
    }

    @Test
    void missingApiVersionCountsAsMismatch() {
        assertEquals(List.of(Kind.API_VERSION), kinds(null, null, null));
    }

    @Test
    void newerMinimumRequiresUpdateAndSuppressesAvailable() {
        List<VersionNotice> notices = VersionCheck.evaluate("v1", "0.2.0", "0.3.0", "v1", "0.1.0");
        assertEquals(List.of(Kind.UPDATE_REQUIRED), notices.stream().map(VersionNotice::kind).toList());
        assertEquals("0.2.0", notices.get(0).serverVersion());
        assertEquals("0.1.0", notices.get(0).clientVersion());
    }

    @Test
    void newerLatestOnlyOffersUpdate() {
        List<VersionNotice> notices = VersionCheck.evaluate("v1", "0.1.0", "0.1.1", "v1", "0.1.0");
        assertEquals(List.of(Kind.UPDATE_AVAILABLE), notices.stream().map(VersionNotice::kind).toList());
        assertEquals("0.1.1", notices.get(0).serverVersion());
    }

    @Test
    void minimumComparedNumerically() {
        assertEquals(List.of(Kind.UPDATE_REQUIRED),
                VersionCheck.evaluate("v1", "0.10.0", null, "v1", "0.9.0").stream().map(VersionNotice::kind).toList());
    }

    @Test
    void apiMismatchAndRequiredUpdateBothReportedInOrder() {
        assertEquals(List.of(Kind.API_VERSION, Kind.UPDATE_REQUIRED), kinds("v2", "1.0.0", "1.0.0"));
    }
}
