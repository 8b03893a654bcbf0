package io.appmanager.apps;

import java.util.Objects;
import java.util.Optional;

/**
 * Decides, before the lifecycle sees a connection, how it relates to the app session: the evidence
 * the SDK brings (RESUME, token, hint) or, without any, what the session's state suggests.
 */
public final class AttachClassifier {

    public sealed interface Classification {
        record Path(AttachPath path) implements Classification {
            public Path {
                Objects.requireNonNull(path, "path");
            }
        }

        /**
         * The token names a generation other than the current one: a newer connection has superseded the
         * instance that holds it (or the token is not one we issued for this state). Refused before the
         * lifecycle runs, so a superseded instance can neither take over nor pass for a new one.
         */
        record StaleToken(long presented, long current) implements Classification {
            public LifecycleEffect.RefuseConnection refusal() {
                return new LifecycleEffect.RefuseConnection(AppCloseCodes.FENCED,
                        "reconnect token of generation " + presented + " is stale; current is " + current);
            }
        }
    }

    private AttachClassifier() {
    }

    /**
     * @param hint                     IDENTIFY's {@code properties.reconnect}
     * @param presentedTokenGeneration the generation inside a verified reconnect token, if one was presented
     * @param currentGeneration        the session's generation now
     * @param isResume                 the connection is a gateway RESUME of the session's gateway session
     */
    public static Classification classify(AppSessionState state, boolean hint, Optional<Long> presentedTokenGeneration,
                                          long currentGeneration, boolean isResume) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(presentedTokenGeneration, "presentedTokenGeneration");
        // The token is checked before anything else, RESUME included: fencing must not have a side door.
        // A newer-than-current generation is refused too: we never issued it for this state (restored
        // backup, forged or mixed-up token), and accepting it would let two generations both claim the session.
        if (presentedTokenGeneration.isPresent() && presentedTokenGeneration.get() != currentGeneration) {
            return new Classification.StaleToken(presentedTokenGeneration.get(), currentGeneration);
        }
        if (isResume) {
            return new Classification.Path(AttachPath.RESUME);
        }
        if (presentedTokenGeneration.isPresent()) {
            return new Classification.Path(AttachPath.TOKEN);
        }
        if (hint) {
            return new Classification.Path(AttachPath.HINT);
        }
        if (state == AppSessionState.GRACE_PERIOD) {
            return new Classification.Path(AttachPath.INFERRED);
        }
        return new Classification.Path(AttachPath.NEW_INSTANCE);
    }
}
