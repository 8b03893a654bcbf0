package io.appmanager.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.appmanager.sdk.AccordClient;
import io.appmanager.sdk.GatewayEvent;
import io.appmanager.support.RecordingClient;
import io.appmanager.support.WebhookSink;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4's proof. Three packaged nodes on one PostgreSQL and one Redis (the embedded-redis binary),
 * behind a plain TCP balancer; 300 SDK clients through it (270 users on ten topics and 30 app SDKs),
 * events published continuously to every node in turn. One node is killed with SIGKILL and restarted,
 * then all three are restarted one at a time with SIGTERM. Throughout:
 * <ul>
 * <li>every client keeps its one session: the ones that lost their node RESUME on another (never a new
 *     READY), and see every event of their topic exactly once, in publish order, with gapless seqs;</li>
 * <li>no app session is resurrected (one session_request each, the start; no outage timer in its history;
 *     no stop_request or other webhook at all), and the app sessions whose SDK really went away get their
 *     grace and first-attempt timers fired exactly once each;</li>
 * <li>in each SIGTERM step every client that dropped was told RECONNECT first (it closed with the SDK's 4000).</li>
 * </ul>
 */
class MultiNodeResumeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NODES = 3;
    private static final int USERS = 270;
    private static final int APP_SDKS = 30;
    private static final int GONE_APPS = 10;
    private static final int TOPICS = 10;
    /** Publishes per second across all nodes: every user client hears about 4 events a second. */
    private static final int PUBLISH_RATE = 40;
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final long APP_GRACE_MS = 3000;

    /** What the publisher knows of each publication: acknowledged, refused, or unknown (the node died mid-request). */
    private enum Fate { ACKED, REFUSED, UNKNOWN }

    @Test
    void sessionsResumeOnAnyNodeWithEveryEventOnceThroughAKillAndARollingRestart() throws Exception {
        long started = System.nanoTime();
        List<RecordingClient> users = new ArrayList<>();
        List<RecordingClient> appSdks = new ArrayList<>();
        Publisher publisher = null;
        try (WebhookSink sink = WebhookSink.start();
             Cluster cluster = Cluster.start(NODES, Map.of("appmanager.app-sessions.timer-poll-interval", "100ms"), true)) {
            Rest rest = new Rest(cluster);

            // an app whose SDKs hold sessions, and ten app sessions whose SDK goes away for good
            String pkg = "mn.app." + UUID.randomUUID().toString().substring(0, 6);
            JsonNode app = rest.post("/api/v1/apps", Map.of("package_name", pkg, "webhook_url", sink.url().toString(),
                    "reconnect_grace_ms", APP_GRACE_MS, "policy", Map.of("first_attempt_jitter_ms", 200,
                            "start_timeout_ms", 120_000)), 201);
            String apiKey = app.path("api_key").asText();
            Map<String, String> appSessionOf = new LinkedHashMap<>();
            for (int i = 0; i < APP_SDKS + GONE_APPS; i++) {
                String us = "us-" + i;
                appSessionOf.put(us, rest.post("/api/v1/app-sessions", Map.of("package_name", pkg, "user_session_id", us), 201)
                        .path("id").asText());
            }
            for (int i = 0; i < APP_SDKS + GONE_APPS; i++) {
                appSdks.add(new RecordingClient(cluster.ws(), () -> "Bot " + apiKey, null, List.of("messages"),
                        Map.of("package_name", pkg, "user_session_id", "us-" + i), null).start());
            }
            for (int i = 0; i < USERS; i++) {
                users.add(new RecordingClient(cluster.ws(), Cluster.token("mn-" + i).topics(topic(i % TOPICS)).mint(),
                        List.of("messages")).start());
            }
            List<RecordingClient> everyone = new ArrayList<>(users);
            everyone.addAll(appSdks);
            cluster.await("300 clients and 10 more app SDKs READY", STEP, () -> allReady(everyone));
            List<Integer> spread = cluster.connectionsPerNode();
            assertTrue(spread.stream().allMatch(n -> n > 0), () -> "every node holds clients: " + spread + cluster.diagnostics());
            System.out.printf("MultiNodeResumeIT: %d clients READY over %s in %d ms%n", everyone.size(), spread, ms(started));

            publisher = new Publisher(cluster);
            publisher.start();
            cluster.await("events flowing", STEP, () -> users.get(0).eventsOfType("message.create").size() >= 3);

            // ten app SDKs go away for good just before the kill: their grace runs out while a node is down
            List<RecordingClient> gone = new ArrayList<>(appSdks.subList(APP_SDKS, APP_SDKS + GONE_APPS));
            gone.forEach(RecordingClient::close);
            appSdks.removeAll(gone);
            everyone.removeAll(gone);

            // kill -9 one node: its clients RESUME elsewhere
            Map<RecordingClient, int[]> before = snapshot(everyone);
            long t = System.nanoTime();
            cluster.kill(1);
            int moved = awaitResumed(cluster, everyone, before, "kill -9 of node-1");
            System.out.printf("MultiNodeResumeIT: kill -9 of node-1: %d clients resumed elsewhere in %d ms%n", moved, ms(t));
            cluster.restart(1);

            // rolling restart: SIGTERM one node at a time
            for (int i = 0; i < NODES; i++) {
                before = snapshot(everyone);
                t = System.nanoTime();
                cluster.terminate(i);
                moved = awaitResumed(cluster, everyone, before, "SIGTERM of node-" + i);
                assertToldToReconnect(everyone, before, "SIGTERM of node-" + i);
                System.out.printf("MultiNodeResumeIT: SIGTERM of node-%d: %d clients resumed elsewhere in %d ms%n", i, moved, ms(t));
                cluster.restart(i);
            }
            // the restarted nodes take new load
            List<RecordingClient> late = new ArrayList<>();
            for (int i = 0; i < NODES * 3; i++) {
                late.add(new RecordingClient(cluster.ws(), Cluster.token("late-" + i).mint(), List.of("messages")).start());
            }
            cluster.await("late clients READY", STEP, () -> allReady(late));
            List<Integer> after = cluster.connectionsPerNode();
            assertTrue(after.stream().allMatch(n -> n > 0), () -> "every restarted node holds clients: " + after + cluster.diagnostics());
            late.forEach(RecordingClient::close);

            publisher.stop();
            Map<Integer, Map<Integer, Fate>> fates = publisher.fates();
            cluster.await("every acknowledged event delivered", STEP, () -> users.stream().allMatch(c ->
                    received(c).keySet().containsAll(acked(fates.get(topicIndex(c, users))))));

            // every user: one session for life, gapless seqs, each event of its topic once and in order
            for (RecordingClient c : users) {
                int k = topicIndex(c, users);
                assertEquals(1, c.readies.size(), () -> "one session for life, never a new READY: " + c.readies + cluster.diagnostics());
                assertEquals(List.of(), c.anomalies, "no seq anomaly seen by the SDK");
                assertGapless(c);
                List<Integer> ns = c.eventsOfType("message.create").stream().map(e -> e.data().path("n").asInt()).toList();
                for (int j = 1; j < ns.size(); j++) {
                    assertTrue(ns.get(j) > ns.get(j - 1), "in publish order, each once: " + ns);
                }
                for (int n : ns) {
                    Fate f = fates.get(k).get(n);
                    assertTrue(f == Fate.ACKED || f == Fate.UNKNOWN, "only events that were published: " + n + " " + f
                            + " (" + publisher.why.get(n) + ")");
                }
                assertTrue(ns.containsAll(acked(fates.get(k))), "every acknowledged event");
            }
            int resumed = users.stream().mapToInt(c -> c.resumes.size()).sum() + appSdks.stream().mapToInt(c -> c.resumes.size()).sum();
            long ackedCount = fates.values().stream().mapToLong(m -> acked(m).size()).sum();
            System.out.printf("MultiNodeResumeIT: %d publications acknowledged, %d unknown, %d refused; %d resumes%n", ackedCount,
                    fates.values().stream().flatMap(m -> m.values().stream()).filter(f -> f == Fate.UNKNOWN).count(),
                    fates.values().stream().flatMap(m -> m.values().stream()).filter(f -> f == Fate.REFUSED).count(), resumed);

            // app SDKs: the same session all along, never resurrected
            for (RecordingClient c : appSdks) {
                assertEquals(1, c.readies.size(), () -> "the app SDK kept its gateway session: " + c.readies + cluster.diagnostics());
                assertGapless(c);
            }
            for (int i = 0; i < APP_SDKS; i++) {
                String id = appSessionOf.get("us-" + i);
                assertEquals(1, sink.of("session_request", id).size(), "only the start webhook, no resurrection: " + id);
                assertEquals("RUNNING", rest.get("/api/v1/app-sessions/" + id).path("state").asText(), id);
                // moved, not lost: no timer of an outage ran for it on any node
                Map<String, Integer> events = transitionCounts(cluster, id);
                for (String outage : List.of("GraceExpired", "ResurrectionDue", "StartTimedOut", "ForceResurrection")) {
                    assertEquals(0, events.getOrDefault(outage, 0), () -> id + " moved between nodes, yet " + outage + ": " + events);
                }
            }
            // the only webhooks of the whole run are session_requests (starts, and the gone apps' resurrections)
            List<String> otherWebhooks = sink.received().stream().map(WebhookSink.Received::type)
                    .filter(type -> !type.equals("session_request")).toList();
            assertEquals(List.of(), otherWebhooks, "no stop_request or other webhook for sessions that merely moved");
            // the app sessions whose SDK went away: each timer fired once, whatever node was up
            for (int i = APP_SDKS; i < APP_SDKS + GONE_APPS; i++) {
                String id = appSessionOf.get("us-" + i);
                cluster.await("resurrection webhook of " + id, STEP, () -> sink.of("session_request", id).size() >= 2);
                Map<String, Integer> events = transitionCounts(cluster, id);
                assertEquals(1, events.getOrDefault("GraceExpired", 0), () -> id + " " + events);
                assertEquals(1, events.getOrDefault("ResurrectionDue", 0), () -> id + " " + events);
                assertEquals(2, sink.of("session_request", id).size(), "the start and one resurrection: " + id);
            }
            System.out.printf("MultiNodeResumeIT: %d ms in all%n", ms(started));
        } finally {
            if (publisher != null) {
                publisher.stop();
            }
            users.forEach(RecordingClient::close);
            appSdks.forEach(RecordingClient::close);
        }
    }

    private static String topic(int k) {
        return "room." + k;
    }

    private static int topicIndex(RecordingClient c, List<RecordingClient> users) {
        return users.indexOf(c) % TOPICS;
    }

    private static boolean allReady(List<RecordingClient> clients) {
        return clients.stream().allMatch(c -> c.client.state() == AccordClient.State.READY && !c.readies.isEmpty());
    }

    /** Readies, resumes and drops of every client. */
    private static Map<RecordingClient, int[]> snapshot(List<RecordingClient> clients) {
        Map<RecordingClient, int[]> m = new HashMap<>();
        clients.forEach(c -> m.put(c, new int[]{c.readies.size(), c.resumes.size(), c.disconnects.size()}));
        return m;
    }

    /** Waits until every client that dropped is back with a RESUME (not a READY). @return how many moved */
    private static int awaitResumed(Cluster cluster, List<RecordingClient> clients, Map<RecordingClient, int[]> before, String step) {
        cluster.await(step + ": some clients dropped", STEP, () -> clients.stream().anyMatch(c -> c.disconnects.size() > before.get(c)[2]));
        java.util.function.Predicate<RecordingClient> back = c -> c.client.state() == AccordClient.State.READY
                && (c.disconnects.size() == before.get(c)[2] || c.resumes.size() > before.get(c)[1]);
        try {
            cluster.await(step + ": every client READY again", STEP, () -> clients.stream().allMatch(back));
        } catch (AssertionError e) {
            List<String> stuck = clients.stream().filter(back.negate()).limit(5).map(c -> c.client.state() + " readies "
                    + c.readies.size() + " resumes " + c.resumes.size() + " drops " + c.disconnects + " failures " + c.failures).toList();
            throw new AssertionError(step + ": not back: " + clients.stream().filter(back.negate()).count() + ", e.g. " + stuck, e);
        }
        int moved = 0;
        for (RecordingClient c : clients) {
            if (c.disconnects.size() > before.get(c)[2]) {
                moved++;
                assertEquals(before.get(c)[0], c.readies.size(), () -> step + ": resumed, not re-identified: "
                        + c.disconnects + cluster.diagnostics());
            }
        }
        return moved;
    }

    /**
     * A drained node says RECONNECT before it closes: every client that dropped in a SIGTERM step closed its
     * socket itself on that RECONNECT (the SDK's 4000), none saw its connection cut (1006) or a bare close.
     */
    private static void assertToldToReconnect(List<RecordingClient> clients, Map<RecordingClient, int[]> before, String step) {
        for (RecordingClient c : clients) {
            List<Integer> drops = c.disconnects.subList(before.get(c)[2], c.disconnects.size());
            assertTrue(drops.stream().allMatch(code -> code == 4000), () -> step + ": told RECONNECT first, so the SDK closed "
                    + "with 4000; the client saw " + drops);
        }
    }

    private static void assertGapless(RecordingClient c) {
        List<GatewayEvent> events = c.events;
        for (int j = 0; j < events.size(); j++) {
            long expected = j == 0 ? events.get(0).seq() : events.get(j - 1).seq() + 1;
            assertEquals(expected, events.get(j).seq(), "gapless seqs: " + events.subList(Math.max(0, j - 3), j + 1));
        }
        assertTrue(events.isEmpty() || events.get(0).seq() == 2, "the first event follows READY's seq 1");
    }

    /** Event n of a topic -> how many times the client got it. */
    private static Map<Integer, Integer> received(RecordingClient c) {
        Map<Integer, Integer> m = new HashMap<>();
        c.eventsOfType("message.create").forEach(e -> m.merge(e.data().path("n").asInt(), 1, Integer::sum));
        return m;
    }

    private static Set<Integer> acked(Map<Integer, Fate> fates) {
        Set<Integer> out = new java.util.TreeSet<>();
        fates.forEach((n, f) -> {
            if (f == Fate.ACKED) {
                out.add(n);
            }
        });
        return out;
    }

    private static Map<String, Integer> transitionCounts(Cluster cluster, String appSessionId) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection db = cluster.jdbc();
             PreparedStatement q = db.prepareStatement("select event from app_session_transitions where app_session_id = ?")) {
            q.setObject(1, UUID.fromString(appSessionId));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    counts.merge(rs.getString(1), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    /** Admin REST through the balancer. */
    private record Rest(Cluster cluster, HttpClient http, String admin) {
        Rest(Cluster cluster) {
            this(cluster, HttpClient.newHttpClient(), Cluster.token("mn-admin").admin().mint());
        }

        JsonNode post(String path, Object body, int status) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(cluster.http(path))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(status, r.statusCode(), () -> path + ": " + r.body());
            return JSON.readTree(r.body());
        }

        JsonNode get(String path) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(cluster.http(path))
                    .header("Authorization", "Bearer " + admin).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), () -> path + ": " + r.body());
            return JSON.readTree(r.body());
        }
    }

    /**
     * Publishes event n to topic n % TOPICS on node n % NODES, at a fixed rate, and records each fate.
     * A refused connection is "not published"; a failure after the request left is "unknown".
     */
    private static final class Publisher {
        private final Cluster cluster;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final String token = Cluster.token("mn-publisher").publish("room.*").mint();
        private final Map<Integer, Map<Integer, Fate>> fates = new ConcurrentHashMap<>();
        /** Why a publication was not acknowledged, for failure messages. */
        private final Map<Integer, String> why = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicInteger next = new AtomicInteger();
        private Thread thread;

        Publisher(Cluster cluster) {
            this.cluster = cluster;
            for (int k = 0; k < TOPICS; k++) {
                fates.put(k, new ConcurrentHashMap<>());
            }
        }

        void start() {
            running.set(true);
            thread = new Thread(this::run, "mn-publisher");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            long periodNanos = 1_000_000_000L / PUBLISH_RATE;
            long due = System.nanoTime();
            while (running.get()) {
                int n = next.getAndIncrement();
                publish(n);
                due += periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
        }

        /** To node n % NODES, or the next one that accepts a connection: a refused connection sent nothing. */
        private void publish(int n) {
            int k = n % TOPICS;
            for (int attempt = 0; attempt < NODES; attempt++) {
                int node = (n + attempt) % NODES;
                try {
                    String body = JSON.writeValueAsString(Map.of("type", "message.create", "topic", topic(k), "data", Map.of("n", n, "k", k)));
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.node(node).port()
                                    + "/api/v1/events")).timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    // 503 (engine unavailable, never reached the log) and 4xx appended nothing; 504 may have
                    fates.get(k).put(n, r.statusCode() == 200 ? Fate.ACKED : r.statusCode() == 504 ? Fate.UNKNOWN : Fate.REFUSED);
                    if (r.statusCode() != 200) {
                        why.put(n, "node " + node + " answered " + r.statusCode() + " " + r.body());
                    }
                    return;
                } catch (ConnectException e) {
                    fates.get(k).put(n, Fate.REFUSED);
                    why.put(n, "node " + node + ": " + e);
                } catch (Exception e) {
                    fates.get(k).put(n, Fate.UNKNOWN);
                    why.put(n, "node " + node + ": " + e);
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join(10_000);
            }
        }

        Map<Integer, Map<Integer, Fate>> fates() {
            return fates;
        }
    }
}
