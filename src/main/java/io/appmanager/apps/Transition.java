package io.appmanager.apps;

import java.util.List;
import java.util.Objects;

/**
 * The result of one event: the snapshot to persist and the effects to carry out, in order.
 * IGNORED is a promise: the snapshot is the one given and there is nothing to do, so the caller
 * may skip the write (a stale timer or a late webhook answer lands here).
 */
public record Transition(AppSessionSnapshot next, List<LifecycleEffect> effects, Outcome outcome) {

    public enum Outcome {
        APPLIED, IGNORED
    }

    public Transition {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(outcome, "outcome");
        effects = List.copyOf(effects);
        if (outcome == Outcome.IGNORED && !effects.isEmpty()) {
            throw new IllegalArgumentException("an ignored event has no effects, got " + effects);
        }
    }

    static Transition ignored(AppSessionSnapshot unchanged) {
        return new Transition(unchanged, List.of(), Outcome.IGNORED);
    }

    static Transition applied(AppSessionSnapshot next, List<LifecycleEffect> effects) {
        return new Transition(next, effects, Outcome.APPLIED);
    }

    static Transition applied(AppSessionSnapshot next, LifecycleEffect... effects) {
        return applied(next, List.of(effects));
    }
}
