package io.appmanager.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the gateway lets an operator tune. Defaults follow accordserver and AccordKit
 * unless a comment says why we differ; docs/operations.md lists every property.
 */
@ConfigMapping(prefix = "appmanager.gateway")
public interface GatewayConfig {

    /** Public base URL clients use (e.g. {@code wss://gw.example.com}); else derived from the request. */
    Optional<String> publicUrl();

    /** Sent in HELLO. 45 s is AccordKit's default and what its timers expect. */
    @WithDefault("45s")
    Duration heartbeatInterval();

    /** Silence after which a socket is closed with 4009; 2 x interval as in accordserver (90 s). */
    @WithDefault("2")
    int heartbeatTimeoutFactor();

    /** Time after HELLO to IDENTIFY or RESUME; accordserver's 30 s. */
    @WithDefault("30s")
    Duration handshakeTimeout();

    /**
     * How long a dropped session stays resumable. 120 s (accordserver: 60 s): AccordKit's backoff
     * (1, 2, 4, 8, 16, 32 s plus jitter) reaches its sixth and seventh attempts at about 63 and
     * 95 s, so a client behind a longer outage still resumes instead of starting over.
     */
    @WithDefault("120s")
    Duration resumeWindow();

    /** Largest inbound text frame; Discord's 4096 bytes. Larger -> close 4002. */
    @WithDefault("4096")
    int maxInboundFrameBytes();

    /** Inbound frame budget per connection (heartbeats exempt); accordserver's 120 per 60 s. */
    @WithName("inbound-rate.frames")
    @WithDefault("120")
    int inboundRateFrames();

    @WithName("inbound-rate.window")
    @WithDefault("60s")
    Duration inboundRateWindow();

    /**
     * How long a socket we closed may take to complete the close handshake before its TCP
     * connection is dropped. A client that stopped reading never completes it.
     */
    @WithDefault("5s")
    Duration closeTimeout();

    /**
     * How often this node writes the checkpoints other nodes rebuild its sessions from (multi-node engine
     * only). 2 s: a rebuild replays at most this much of the log beyond what it must, and with thousands
     * of sessions the writes stay a few batched round trips a second.
     */
    @WithDefault("2s")
    Duration checkpointInterval();

    /** Most topics one session may hold; bounds the fan-out index per session. */
    @WithDefault("100")
    int maxTopicsPerSession();

    Outbound outbound();

    Replay replay();

    /**
     * Event-type prefix (the part before the first dot) to required intent, merged over
     * accordserver's table; the value {@code none} removes a requirement.
     */
    Map<String, String> intentTable();

    /** Versions announced in READY so that clients can warn or refuse (seed 000's open gap). */
    Sdk sdk();

    interface Outbound {
        /**
         * Frames queued or unflushed per connection before it counts as a slow consumer. 1024 is
         * accordserver's broadcast capacity: a healthy client never gets near it.
         */
        @WithDefault("1024")
        int maxFrames();

        /** Same bound in bytes, so a few huge events cannot pin memory either. */
        @WithDefault("4194304")
        long maxBytes();
    }

    interface Replay {
        /**
         * Events kept per session for RESUME. 1024 (accordserver keeps 256): at 10 events/s a
         * session can be away for the better part of the 120 s window and still resume.
         */
        @WithDefault("1024")
        int maxEvents();

        /** Bytes kept per session; events are shared between sessions, so this is accounting. */
        @WithDefault("1048576")
        long maxBytes();
    }

    interface Sdk {
        @WithDefault("0.1.0")
        String minVersion();

        @WithDefault("0.1.0")
        String latestVersion();
    }
}
