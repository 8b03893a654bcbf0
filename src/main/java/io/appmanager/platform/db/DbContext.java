package io.appmanager.platform.db;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Runs a Hibernate Reactive unit of work on a fresh, safe, duplicated Vert.x context. Hibernate
 * Reactive binds a session to the context it was opened on, and our callers are everywhere: a
 * socket's event loop, a webhook answer, a timer tick. A fresh context each time gives every unit
 * of work its own session and never lets two share one by accident.
 */
public final class DbContext {

    private DbContext() {
    }

    public static <T> Uni<T> run(Vertx vertx, Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context dup = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(dup, true);
            dup.runOnContext(ignored -> {
                Uni<T> uni;
                try {
                    uni = work.get();
                } catch (RuntimeException e) {
                    emitter.fail(e);
                    return;
                }
                uni.subscribe().with(emitter::complete, emitter::fail);
            });
        });
    }
}
