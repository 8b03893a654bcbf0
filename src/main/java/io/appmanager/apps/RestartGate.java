package io.appmanager.apps;

import io.smallrye.mutiny.Uni;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Holds work until this node has worked off its restart (CloudRestarted to every session it owned).
 * An SDK that reconnects in that window waits rather than being refused: refusing would make it back
 * off, and a grace not yet extended could turn its reconnect into a resurrection.
 */
final class RestartGate {

    private final CompletableFuture<Void> opened = new CompletableFuture<>();

    /** Runs {@code work} once the gate is open; at once if it already is. */
    <T> Uni<T> after(Supplier<Uni<T>> work) {
        return Uni.createFrom().completionStage(opened).chain(ignored -> work.get());
    }

    void open() {
        opened.complete(null);
    }

    boolean isOpen() {
        return opened.isDone();
    }
}
