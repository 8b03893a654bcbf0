package io.appmanager.sdk;

import java.util.function.Consumer;

/**
 * Shields the state machine from exceptions thrown by user callbacks: a buggy listener must
 * not leave the connection half-updated.
 */
final class SafeListener implements ClientListener {
    private static final System.Logger LOG = System.getLogger(SafeListener.class.getName());
    private final ClientListener delegate;

    SafeListener(ClientListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onReady(ReadyInfo ready) {
        guard("onReady", l -> l.onReady(ready));
    }

    @Override
    public void onResumed(ResumedInfo resumed) {
        guard("onResumed", l -> l.onResumed(resumed));
    }

    @Override
    public void onEvent(GatewayEvent event) {
        guard("onEvent", l -> l.onEvent(event));
    }

    @Override
    public void onDisconnected(int code, String reason) {
        guard("onDisconnected", l -> l.onDisconnected(code, reason));
    }

    @Override
    public void onReconnecting(int attempt, int maxAttempts) {
        guard("onReconnecting", l -> l.onReconnecting(attempt, maxAttempts));
    }

    @Override
    public void onFailed(String reason) {
        guard("onFailed", l -> l.onFailed(reason));
    }

    @Override
    public void onVersionMismatch(VersionNotice notice) {
        guard("onVersionMismatch", l -> l.onVersionMismatch(notice));
    }

    @Override
    public void onSequenceAnomaly(long expected, long actual) {
        guard("onSequenceAnomaly", l -> l.onSequenceAnomaly(expected, actual));
    }

    private void guard(String callback, Consumer<ClientListener> call) {
        try {
            call.accept(delegate);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ClientListener." + callback + " threw", e);
        }
    }
}
