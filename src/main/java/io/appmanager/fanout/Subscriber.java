package io.appmanager.fanout;

/** Something the hub delivers to: a gateway session, parked or live. */
public interface Subscriber {

    /** The session id feed entries address it by (direct events, topic lists, takeovers). */
    String id();

    /** Whether this subscriber takes events of this type at all (intents). */
    boolean accepts(String type);

    /** Called on the hub thread; must not block. */
    void deliver(EncodedEvent event);
}
