package io.appmanager.fanout;

import java.util.List;

/**
 * One entry of the ordered feed every node's hub applies. Publications are not the only entries: an
 * event for one session, a session's new topic list and a takeover also change what a session is
 * sent, so they travel the same feed. Applying the feed in order is therefore enough to reproduce a
 * session's seqs on any node ({@code gateway.SessionHistory}).
 */
public sealed interface FeedEntry {

    /** An event for every session subscribed to one of its topics (and whose intents take its type). */
    record Publish(EncodedEvent event) implements FeedEntry {
    }

    /** An event for one session only (a subscription update, a request outcome); intents do not filter it. */
    record Direct(String sessionId, EncodedEvent event) implements FeedEntry {
    }

    /** The session now hears exactly {@code topics}; then {@code update}, if any, is sent to it. */
    record Topics(String sessionId, List<String> topics, EncodedEvent update) implements FeedEntry {
        public Topics {
            topics = List.copyOf(topics);
        }
    }

    /** {@code node} now holds the session: any other node lets its copy go (and closes its socket with 4015). */
    record Takeover(String sessionId, String node) implements FeedEntry {
    }

    /**
     * The app session's SDK socket, on whichever node holds it, is to be closed with {@code code} if it was
     * accepted at a generation up to {@code upToGeneration}: a lifecycle decision on one node reaching a
     * socket on another. A newer socket (a later generation) is never closed by it.
     */
    record CloseAppSocket(String appSessionId, long upToGeneration, int code, String reason) implements FeedEntry {
    }

    /** A node started following the feed; carries nothing, gives the hub a position to start from. */
    record Mark(String node) implements FeedEntry {
    }
}
