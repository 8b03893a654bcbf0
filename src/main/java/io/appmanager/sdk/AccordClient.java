package io.appmanager.sdk;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Client for the AppManager (Accord-compatible) WebSocket gateway.
 *
 * <p>It identifies, heartbeats, resumes after drops, reconnects with backoff, refreshes the
 * token after authentication failures and queues outbound frames while not READY.
 *
 * <pre>{@code
 * AccordClient client = AccordClient.builder(URI.create("wss://example.com/ws?v=1&encoding=json"))
 *     .tokenProvider(() -> "Bearer " + jwt)
 *     .intents(List.of("messages"))
 *     .listener(new ClientListener() {
 *         public void onEvent(GatewayEvent e) { System.out.println(e.type()); }
 *     })
 *     .build();
 * client.connect();
 * }</pre>
 *
 * <p><b>Threading.</b> All state lives on one executor thread owned by the client; listener
 * callbacks run there. Public methods are thread-safe. {@link #send}, {@link #subscribe},
 * {@link #close} and {@link #abortConnection} wait for that thread to take the request (unless
 * called from a listener callback, where they run directly), so they can block briefly while
 * a callback is running. A client is single-use: once CLOSED or FAILED it stays so.
 */
public final class AccordClient implements AutoCloseable {
    /** Version of this SDK, sent in IDENTIFY and compared with READY's sdk versions. */
    public static final String SDK_VERSION = "0.1.0";
    /** Gateway API version this SDK speaks; READY's api_version is compared with it. */
    public static final String API_VERSION = "v1";
    /** Value of the {@code client} IDENTIFY property. */
    public static final String CLIENT_NAME = "appmanager-java-sdk";
    /** 20 frames: enough for a burst of subscriptions during start-up, small enough not to hoard stale data. */
    public static final int DEFAULT_OUTBOUND_QUEUE_CAPACITY = 20;

    /** Connection states. */
    public enum State {
        /** Not connected; either never started or waiting to reconnect. */
        DISCONNECTED,
        /** Opening the socket and waiting for HELLO. */
        CONNECTING,
        /** IDENTIFY sent, waiting for READY. */
        IDENTIFYING,
        /** RESUME sent, waiting for the replay to finish. */
        RESUMING,
        /** Session established; sends go straight out. */
        READY,
        /** Gave up for good; see {@link ClientListener#onFailed}. */
        FAILED,
        /** Closed by {@link AccordClient#close()}. */
        CLOSED
    }

    private static final AtomicInteger CLIENT_NUMBERS = new AtomicInteger();

    private final ScheduledThreadPoolExecutor executor;
    private final GatewayStateMachine machine;
    private final String threadName = "appmanager-sdk-" + CLIENT_NUMBERS.incrementAndGet();
    private volatile Thread executorThread;

    private AccordClient(ClientConfig config) {
        this.executor = new ScheduledThreadPoolExecutor(1, this::newExecutorThread);
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.machine = new GatewayStateMachine(config, executor, executor::shutdown);
    }

    /**
     * Starts building a client.
     *
     * @param gatewayUrl WebSocket URL, e.g. {@code ws://127.0.0.1:8080/ws?v=1&encoding=json}
     * @return a builder
     */
    public static Builder builder(URI gatewayUrl) {
        return new Builder(gatewayUrl);
    }

    /**
     * Starts connecting in the background and returns immediately. Calling it again while
     * running has no effect.
     *
     * @throws IllegalStateException if the client is CLOSED or FAILED
     */
    public void connect() {
        State current = machine.state();
        if (current == State.CLOSED || current == State.FAILED) {
            throw new IllegalStateException("client is " + current + "; build a new one");
        }
        onExecutor(() -> {
            machine.start();
            return null;
        }, null);
    }

    /**
     * Sends {@code {"op":op,"data":data}} ({@code data} serialised with Jackson). While the
     * client is not READY the frame is queued and flushed, in order, right after READY/RESUMED.
     *
     * @param op   opcode, e.g. {@link OpCodes#SUBSCRIBE}
     * @param data payload; null becomes JSON null
     * @return true when sent or queued; false when the queue is full or the client is CLOSED/FAILED
     * @throws IllegalArgumentException if Jackson cannot serialise {@code data}
     */
    public boolean send(int op, Object data) {
        String frame = Frames.outbound(op, data);
        return onExecutor(() -> machine.submit(frame), false);
    }

    /**
     * Changes topic subscriptions (op 12); queued like {@link #send} while not READY.
     *
     * @param add    topics to subscribe to (may be empty)
     * @param remove topics to unsubscribe from (may be empty)
     * @return as for {@link #send}
     */
    public boolean subscribe(Collection<String> add, Collection<String> remove) {
        Objects.requireNonNull(add, "add");
        Objects.requireNonNull(remove, "remove");
        return send(OpCodes.SUBSCRIBE, Frames.subscription(add, remove));
    }

    /**
     * Signs off: closes the socket with 1000, never reconnects, does not call
     * {@link ClientListener#onFailed}. The state is CLOSED when this returns.
     */
    @Override
    public void close() {
        onExecutor(() -> {
            machine.close();
            return null;
        }, null);
    }

    /**
     * Drops the TCP connection without a close frame, as a network failure would; the client
     * then reports code 1006 and reconnects/resumes as usual. Meant for chaos tests. No effect
     * while no connection is in progress.
     */
    public void abortConnection() {
        onExecutor(() -> {
            machine.abort();
            return null;
        }, null);
    }

    /**
     * The session id held for RESUME.
     *
     * @return the session id, empty before READY and after the session was dropped
     */
    public Optional<String> sessionId() {
        return Optional.ofNullable(machine.sessionId());
    }

    /**
     * Last seq seen on an op-0 frame of the current session; sent in heartbeats and RESUME.
     *
     * @return the seq, 0 when none
     */
    public long lastSeq() {
        return machine.lastSeq();
    }

    /**
     * Current connection state.
     *
     * @return the state
     */
    public State state() {
        return machine.state();
    }

    /**
     * Runs {@code task} on the client thread and returns its result; runs it directly when
     * already there, because waiting on ourselves would deadlock.
     */
    private <T> T onExecutor(Callable<T> task, T ifTerminated) {
        try {
            if (Thread.currentThread() == executorThread) {
                return task.call();
            }
            return executor.submit(task).get();
        } catch (RejectedExecutionException terminated) {
            return ifTerminated;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ifTerminated;
        } catch (ExecutionException e) {
            throw asUnchecked(e.getCause());
        } catch (Exception e) {
            throw asUnchecked(e);
        }
    }

    private static RuntimeException asUnchecked(Throwable error) {
        if (error instanceof RuntimeException) {
            return (RuntimeException) error;
        }
        if (error instanceof Error) {
            throw (Error) error;
        }
        return new IllegalStateException(error);
    }

    private Thread newExecutorThread(Runnable runnable) {
        Thread thread = new Thread(runnable, threadName);
        // A forgotten client must not keep the application's JVM alive.
        thread.setDaemon(true);
        executorThread = thread;
        return thread;
    }

    /** Collects settings for an {@link AccordClient}. Only {@link #tokenProvider} is required. */
    public static final class Builder {
        private final URI gatewayUrl;
        private Supplier<String> tokenProvider;
        private Supplier<String> tokenRefresher;
        private List<String> intents = List.of();
        private Map<String, Object> properties = Map.of();
        private ClientListener listener = new ClientListener() {
        };
        private ReconnectPolicy reconnectPolicy = ReconnectPolicy.defaults();
        private int outboundQueueCapacity = DEFAULT_OUTBOUND_QUEUE_CAPACITY;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private HttpClient httpClient;

        private Builder(URI gatewayUrl) {
            this.gatewayUrl = Objects.requireNonNull(gatewayUrl, "gatewayUrl");
        }

        /**
         * Supplies the token sent in IDENTIFY and RESUME, exactly as returned (include any
         * {@code Bot }/{@code Bearer } prefix). Called on every connect until the refresher
         * has produced a token; from then on the refreshed token is used.
         *
         * @param tokenProvider supplier of the current token
         * @return this builder
         */
        public Builder tokenProvider(Supplier<String> tokenProvider) {
            this.tokenProvider = Objects.requireNonNull(tokenProvider, "tokenProvider");
            return this;
        }

        /**
         * Optional. Called at most once per disconnect cycle after a fatal close
         * (4003/4004/4012/4013/4014), and once more when reconnect attempts are exhausted.
         * Returns a new token, or null to give up (state FAILED). Without a refresher a fatal
         * close fails the client at once. Runs on the client thread: keep it quick.
         *
         * @param tokenRefresher supplier of a fresh token, or null for none
         * @return this builder
         */
        public Builder tokenRefresher(Supplier<String> tokenRefresher) {
            this.tokenRefresher = tokenRefresher;
            return this;
        }

        /**
         * Intents sent in IDENTIFY. Default: none.
         *
         * @param intents e.g. {@code List.of("messages")}
         * @return this builder
         */
        public Builder intents(List<String> intents) {
            this.intents = List.copyOf(intents);
            return this;
        }

        /**
         * Extra IDENTIFY properties, merged over {@code os}, {@code client} and {@code version}.
         *
         * @param properties JSON-serialisable values
         * @return this builder
         */
        public Builder properties(Map<String, Object> properties) {
            // Copied in order, nulls allowed: it becomes a JSON object verbatim.
            this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
            return this;
        }

        /**
         * Receiver of events and lifecycle callbacks. Default: ignores everything.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(ClientListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Reconnect timing and limits. Default: {@link ReconnectPolicy#defaults()}.
         *
         * @param reconnectPolicy the policy
         * @return this builder
         */
        public Builder reconnectPolicy(ReconnectPolicy reconnectPolicy) {
            this.reconnectPolicy = Objects.requireNonNull(reconnectPolicy, "reconnectPolicy");
            return this;
        }

        /**
         * How many frames {@link AccordClient#send} holds while not READY. Default 20.
         *
         * @param capacity maximum queued frames; 0 disables queueing
         * @return this builder
         */
        public Builder outboundQueueCapacity(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
            }
            this.outboundQueueCapacity = capacity;
            return this;
        }

        /**
         * HttpClient used to open sockets (proxy, TLS settings). Default: a new one per client.
         *
         * @param httpClient the HTTP client
         * @return this builder
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Replaces the source of jitter; for deterministic tests. Must return values in [0, 1). */
        Builder randomSource(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Builds the client; call {@link AccordClient#connect()} to start it.
         *
         * @return the client, not yet connected
         * @throws IllegalStateException if no token provider was set
         */
        public AccordClient build() {
            if (tokenProvider == null) {
                throw new IllegalStateException("tokenProvider is required");
            }
            HttpClient client = httpClient != null ? httpClient : HttpClient.newBuilder()
                    .connectTimeout(GatewayStateMachine.HANDSHAKE_TIMEOUT)
                    .build();
            return new AccordClient(new ClientConfig(gatewayUrl, tokenProvider, tokenRefresher, intents,
                    properties, listener, reconnectPolicy, outboundQueueCapacity, random, client));
        }
    }
}
