package io.appmanager.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JVM ceiling for the fan-out benchmark: the least a Vert.x server must do to look like the
 * gateway to {@link Sessions} and to {@link Publisher}, and nothing more.
 *
 * <ul>
 *   <li>{@code /ws}: sends a HELLO ({@code op 5} with {@code heartbeat_interval}); answers IDENTIFY
 *   ({@code op 2}) with a READY-shaped frame and from then on counts the socket as subscribed (no
 *   token check, no intents, no topics: every socket hears everything); answers HEARTBEAT with
 *   {@code {"op":4}}.</li>
 *   <li>{@code POST /api/v1/events}: parses the body, encodes one {@code op 0} frame
 *   ({@code type} and {@code data}, no per-session {@code seq}) once, writes it to every subscribed
 *   socket and answers 200.</li>
 * </ul>
 *
 * No replay log, no per-session seq, no outbound bound, no auth, no rate limit: the gap between
 * this and AppManager is what those cost. One verticle instance per core shares the port (Vert.x
 * spreads connections across them), as AppManager's HTTP server does; each instance keeps its own
 * sockets, and a publish hands the encoded frame to every instance's event loop, which writes it
 * to its sockets (a first version wrote to every socket from the publish request's thread, so most
 * writes crossed event loops, and it was slower than AppManager).
 *
 * <p>Run as {@code java -cp <test classpath> io.appmanager.bench.RawVertxBroadcastServer <port>};
 * it prints {@code listening <port>} when ready.
 */
public final class RawVertxBroadcastServer extends AbstractVerticle {

    /** Every instance, so a publish reaches each event loop once. */
    private static final List<RawVertxBroadcastServer> INSTANCES = new CopyOnWriteArrayList<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static final Buffer HELLO = Buffer.buffer("{\"op\":5,\"data\":{\"heartbeat_interval\":45000}}");
    private static final Buffer ACK = Buffer.buffer("{\"op\":4}");

    private final int port;
    /** This instance's subscribed sockets; touched only on this instance's event loop. */
    private final Set<ServerWebSocket> subscribed = new LinkedHashSet<>();
    private Context context;

    RawVertxBroadcastServer(int port) {
        this.port = port;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx();
        start(vertx, port).onSuccess(id -> System.out.println("listening " + port)).onFailure(e -> {
            e.printStackTrace();
            System.exit(1);
        });
    }

    /** Deploys one instance per core on {@code port}; the future completes once all listen. */
    public static io.vertx.core.Future<String> start(Vertx vertx, int port) {
        return vertx.deployVerticle(() -> new RawVertxBroadcastServer(port),
                new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public void start(Promise<Void> started) {
        context = vertx.getOrCreateContext();
        INSTANCES.add(this);
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setAcceptBacklog(4096))
                .webSocketHandler(this::onSocket)
                .requestHandler(req -> {
                    if (req.path().equals("/api/v1/events") && req.method().name().equals("POST")) {
                        req.body().onSuccess(body -> {
                            JsonObject event = body.toJsonObject();
                            Buffer frame = Buffer.buffer("{\"op\":0,\"type\":\"" + event.getString("type") + "\",\"data\":"
                                    + event.getJsonObject("data").encode() + "}");
                            String text = frame.toString();
                            // each instance writes to its own sockets on its own event loop: no write crosses threads
                            for (RawVertxBroadcastServer instance : INSTANCES) {
                                instance.context.runOnContext(v -> instance.broadcast(text));
                            }
                            req.response().putHeader("Content-Type", "application/json")
                                    .end("{\"id\":\"raw_" + IDS.incrementAndGet() + "\"}");
                        });
                    } else if (req.path().equals("/health")) {
                        req.response().end("ok");
                    } else {
                        req.response().setStatusCode(404).end();
                    }
                })
                .listen()
                .<Void>mapEmpty()
                .onComplete(started);
    }

    @Override
    public void stop() {
        INSTANCES.remove(this);
    }

    private void broadcast(String text) {
        for (ServerWebSocket ws : subscribed) {
            ws.writeTextMessage(text);
        }
    }

    private void onSocket(ServerWebSocket ws) {
        if (!ws.path().equals("/ws")) {
            ws.close((short) 1008);
            return;
        }
        ws.writeTextMessage(HELLO.toString());
        ws.textMessageHandler(text -> {
            long op = Frames.number(text, "op", -1);
            if (op == 1) {
                ws.writeTextMessage(ACK.toString());
            } else if (op == 2 && !subscribed.contains(ws)) {
                ws.writeTextMessage("{\"op\":0,\"seq\":1,\"type\":\"ready\",\"data\":{\"session_id\":\"raw-"
                        + IDS.incrementAndGet() + "\",\"heartbeat_interval\":45000}}");
                subscribed.add(ws);
            }
        });
        ws.closeHandler(v -> subscribed.remove(ws));
    }
}
