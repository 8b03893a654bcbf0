package io.appmanager.apps;

import io.appmanager.apps.AttachClassifier.Classification;
import io.appmanager.apps.AttachClassifier.Classification.Path;
import io.appmanager.apps.AttachClassifier.Classification.StaleToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttachClassifierTest {

    static final long CURRENT = 7;
    static final Optional<Long> NO_TOKEN = Optional.empty();
    static final Optional<Long> VALID = Optional.of(CURRENT);

    static Classification classify(AppSessionState state, boolean hint, Optional<Long> token, boolean resume) {
        return AttachClassifier.classify(state, hint, token, CURRENT, resume);
    }

    /** Every state x hint x token (none, current, older, newer) x resume, with the answer written out. */
    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (AppSessionState state : AppSessionState.values()) {
            for (boolean hint : new boolean[]{false, true}) {
                for (boolean resume : new boolean[]{false, true}) {
                    rows.add(Arguments.of(state, hint, Optional.of(6L), resume, new StaleToken(6, CURRENT)));
                    rows.add(Arguments.of(state, hint, Optional.of(0L), resume, new StaleToken(0, CURRENT)));
                    rows.add(Arguments.of(state, hint, Optional.of(8L), resume, new StaleToken(8, CURRENT)));
                    rows.add(Arguments.of(state, hint, VALID, resume,
                            new Path(resume ? AttachPath.RESUME : AttachPath.TOKEN)));
                    Classification withoutToken;
                    if (resume) {
                        withoutToken = new Path(AttachPath.RESUME);
                    } else if (hint) {
                        withoutToken = new Path(AttachPath.HINT);
                    } else if (state == AppSessionState.GRACE_PERIOD) {
                        withoutToken = new Path(AttachPath.INFERRED);
                    } else {
                        withoutToken = new Path(AttachPath.NEW_INSTANCE);
                    }
                    rows.add(Arguments.of(state, hint, NO_TOKEN, resume, withoutToken));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} hint={1} token={2} resume={3} -> {4}")
    @MethodSource("table")
    void classifies(AppSessionState state, boolean hint, Optional<Long> token, boolean resume, Classification expected) {
        assertEquals(expected, classify(state, hint, token, resume));
    }

    @Test
    void anOlderTokenIsStaleEvenWithResumeAndHint() {
        assertEquals(new StaleToken(6, CURRENT), classify(AppSessionState.RUNNING, true, Optional.of(6L), true));
    }

    @ParameterizedTest
    @EnumSource(value = AppSessionState.class, names = "GRACE_PERIOD", mode = EnumSource.Mode.EXCLUDE)
    void silenceIsInferredAsAReconnectOnlyDuringGrace(AppSessionState state) {
        assertEquals(new Path(AttachPath.NEW_INSTANCE), classify(state, false, NO_TOKEN, false));
        assertEquals(new Path(AttachPath.INFERRED), classify(AppSessionState.GRACE_PERIOD, false, NO_TOKEN, false));
    }

    @Test
    void aStaleTokenIsRefusedWithTheFencingCode() {
        StaleToken stale = new StaleToken(3, 9);
        assertEquals(AppCloseCodes.FENCED, stale.refusal().code());
        assertTrue(stale.refusal().reason().contains("3") && stale.refusal().reason().contains("9"), stale.refusal().reason());
        // the reason must fit a close frame (123 bytes)
        StaleToken huge = new StaleToken(Long.MAX_VALUE, Long.MAX_VALUE - 1);
        assertTrue(huge.refusal().reason().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 123);
    }

    @Test
    void onlyResumeTokenAndHintClaimTheOriginalInstance() {
        assertEquals(List.of(AttachPath.RESUME, AttachPath.TOKEN, AttachPath.HINT),
                Stream.of(AttachPath.values()).filter(AttachPath::claimsOriginalInstance).toList());
    }

    @Test
    void nullsAreRejected() {
        assertThrows(NullPointerException.class, () -> AttachClassifier.classify(null, false, NO_TOKEN, 1, false));
        assertThrows(NullPointerException.class,
                () -> AttachClassifier.classify(AppSessionState.RUNNING, false, null, 1, false));
    }
}
