package io.appmanager.gateway;

/**
 * Whether a RESUME can be honoured, decided from three numbers. Never a partial replay: a gap the
 * log no longer covers is a refusal, so the client rebuilds from READY instead of silently missing events.
 */
final class Replay {

    sealed interface Plan {
        /** Replay seqs [from, to]; empty when from > to. */
        record Range(long from, long to) implements Plan {
            long count() {
                return Math.max(0, to - from + 1);
            }
        }

        record SeqAhead(long clientSeq, long serverSeq) implements Plan {
        }

        record Gap(long clientSeq, long firstRetained) implements Plan {
        }
    }

    private Replay() {
    }

    /**
     * @param clientSeq     last seq the client saw
     * @param lastSeq       last seq the session assigned
     * @param firstRetained oldest seq the log still holds ({@code lastSeq + 1} when it holds none)
     */
    static Plan missedSince(long clientSeq, long lastSeq, long firstRetained) {
        if (clientSeq > lastSeq) {
            return new Plan.SeqAhead(clientSeq, lastSeq);
        }
        if (clientSeq + 1 < firstRetained) {
            return new Plan.Gap(clientSeq, firstRetained);
        }
        return new Plan.Range(clientSeq + 1, lastSeq);
    }
}
