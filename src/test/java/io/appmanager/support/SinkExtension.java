package io.appmanager.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A {@link WebhookSink} for a whole test class: {@code @RegisterExtension static SinkExtension apps = new SinkExtension();}. */
public final class SinkExtension implements BeforeAllCallback, AfterAllCallback {

    private WebhookSink sink;

    @Override
    public void beforeAll(ExtensionContext context) {
        sink = WebhookSink.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        sink.close();
    }

    public WebhookSink sink() {
        return sink;
    }

    /**
     * Registers an app (webhook: this sink), starts it for a fresh user session, checks the start
     * webhook arrived, and connects an SDK that gets READY.
     */
    public Apps.Running running(String name, long graceMs, java.util.Map<String, Object> policy) throws Exception {
        Apps.Started s = started(name, graceMs, policy);
        return new Apps.Running(s.app(), s.userSession(), s.id(), Apps.ready(s.app(), s.userSession(), java.util.Map.of()));
    }

    /** The same, without connecting: the session stays CONNECTING. */
    public Apps.Started started(String name, long graceMs, java.util.Map<String, Object> policy) {
        Apps.Registered app = Apps.register(Apps.uniquePackage(name), sink.url(), graceMs, policy);
        String userSession = "us-" + java.util.UUID.randomUUID();
        String id = Apps.start(app.packageName(), userSession);
        org.awaitility.Awaitility.await().until(() -> sink.of("session_request", id).size() == 1);
        return new Apps.Started(app, userSession, id);
    }
}
