package io.appmanager.gateway;

import io.appmanager.sdk.GatewayEvent;
import io.appmanager.support.Gw;
import io.appmanager.support.RecordingClient;
import io.appmanager.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 50 SDK clients; events published continuously to a shared topic and to each client's own topic;
 * sockets killed at random from both ends. At the end every client has every event for its
 * topics exactly once and in order, and never saw a seq out of step.
 */
@QuarkusTest
@TestProfile(ChurnTest.Churn.class)
class ChurnTest {

    private static final Logger LOG = Logger.getLogger(ChurnTest.class);
    private static final int CLIENTS = 50;
    private static final int SHARED_EVENTS = 400;
    private static final int PRIVATE_EVENTS_EACH = 8;
    /** A kill every 40 ms over a ~5 s publishing run: every client is dropped a few times. */
    private static final long KILL_EVERY_MS = 40;

    public static class Churn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("appmanager.fanout.publish-rate.per-second", "100000",
                    "appmanager.fanout.publish-rate.burst", "100000",
                    "appmanager.gateway.inbound-rate.frames", "100000");
        }
    }

    @Inject
    SessionRegistry registry;

    @Test
    void everyClientGetsEveryEventOnceAndInOrderDespiteRandomKills() throws Exception {
        long seed = System.nanoTime();
        LOG.infof("churn seed %d", seed);
        Random random = new Random(seed);
        List<RecordingClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(new RecordingClient(Tokens.user("churn-" + i, "churn.shared"), List.of("messages")).start());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> clients.stream().allMatch(c -> !c.readies.isEmpty()));

        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger kills = new AtomicInteger();
        Thread chaos = new Thread(() -> {
            while (publishing.get()) {
                killOne(clients, random, kills);
                try {
                    Thread.sleep(KILL_EVERY_MS); // pacing the chaos, not waiting for a result
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "churn-chaos");
        chaos.start();

        String publisher = Tokens.publisher("churn-publisher");
        int[] privateSent = new int[CLIENTS];
        for (int n = 0; n < SHARED_EVENTS; n++) {
            Gw.publish(publisher, Map.of("type", "message.create", "topic", "churn.shared",
                    "data", Map.of("stream", "shared", "n", n))).statusCode(200);
            int target = n % CLIENTS;
            if (privateSent[target] < PRIVATE_EVENTS_EACH) {
                Gw.publish(publisher, Map.of("type", "message.create", "topic", "user:churn-" + target,
                        "data", Map.of("stream", "private", "n", privateSent[target]++))).statusCode(200);
            }
        }
        publishing.set(false);
        chaos.join();
        LOG.infof("churn: %d kills", kills.get());
        assertTrue(kills.get() >= CLIENTS, "enough chaos happened: " + kills.get());

        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> clients.stream().allMatch(c ->
                    stream(c, "shared").size() >= SHARED_EVENTS && stream(c, "private").size() >= PRIVATE_EVENTS_EACH));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder why = new StringBuilder("clients short of events:\n");
            for (int i = 0; i < CLIENTS; i++) {
                RecordingClient c = clients.get(i);
                int shared = stream(c, "shared").size();
                int priv = stream(c, "private").size();
                if (shared < SHARED_EVENTS || priv < PRIVATE_EVENTS_EACH) {
                    why.append(String.format("client %d: shared %d private %d state %s readies %d resumes %d "
                                    + "failures %s anomalies %s disconnects %s%n", i, shared, priv, c.client.state(),
                            c.readies.size(), c.resumes.size(), c.failures, c.anomalies, c.disconnects));
                }
            }
            throw new AssertionError(why.toString(), e);
        }

        for (int i = 0; i < CLIENTS; i++) {
            RecordingClient c = clients.get(i);
            assertEquals(IntStream.range(0, SHARED_EVENTS).boxed().toList(), stream(c, "shared"),
                    "client " + i + ": shared stream exactly once, in order");
            assertEquals(IntStream.range(0, PRIVATE_EVENTS_EACH).boxed().toList(), stream(c, "private"),
                    "client " + i + ": private stream exactly once, in order");
            assertEquals(List.of(), c.anomalies, "client " + i + ": seq strictly +1");
            assertEquals(List.of(), c.failures, "client " + i + " never gave up");
            assertEquals(1, c.readies.size(), "client " + i + " resumed every time, never re-identified");
        }
        int resumes = clients.stream().mapToInt(c -> c.resumes.size()).sum();
        LOG.infof("churn: %d resumes over %d clients", resumes, CLIENTS);
        clients.forEach(RecordingClient::close);
    }

    private static List<Integer> stream(RecordingClient c, String name) {
        return c.events.stream().filter(e -> e.type().equals("message.create"))
                .map(GatewayEvent::data).filter(d -> name.equals(d.path("stream").asText()))
                .map(d -> d.path("n").asInt()).toList();
    }

    /**
     * A third client-side aborts, a third server-side drops (close decided, TCP dropped without
     * waiting for the handshake, as the close timeout does), a third server-side 4000 closes.
     * A bare channel close would look to the server like a client's deliberate 1000: Vert.x sends
     * and reports a normal close for it, which is why the gateway records its intent first.
     */
    private void killOne(List<RecordingClient> clients, Random random, AtomicInteger kills) {
        int mode = random.nextInt(3);
        if (mode == 0) {
            clients.get(random.nextInt(clients.size())).client.abortConnection();
            kills.incrementAndGet();
            return;
        }
        List<GatewayConnection> live = registry.connections().stream()
                .filter(c -> c.session() != null && !c.isClosing()).toList();
        if (live.isEmpty()) {
            return;
        }
        GatewayConnection victim = live.get(random.nextInt(live.size()));
        if (mode == 1) {
            victim.outbound().onLoop(() -> {
                victim.close(CloseCodes.UNKNOWN_ERROR, "chaos drop", GatewayConnection.CloseIntent.PARK);
                SocketAbort.abort(victim.socket());
            });
        } else {
            victim.outbound().onLoop(() -> victim.close(CloseCodes.UNKNOWN_ERROR, "chaos", GatewayConnection.CloseIntent.PARK));
        }
        kills.incrementAndGet();
    }
}
