package io.appmanager.it;

import io.appmanager.sdk.AccordClient;
import io.appmanager.support.RecordingClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several nodes WITHOUT the Redis engine (each on its in-process engine): 3 packaged nodes on one
 * PostgreSQL behind a plain TCP balancer, 60 SDK clients through it. A kill -9 and a rolling SIGTERM
 * restart of every node: each client of the lost node comes back READY on a live node, the others
 * are untouched, and a restarted node takes new connections again.
 *
 * <p>Without a shared feed sessions are per node, so a client that lost its node RESUMEs elsewhere,
 * is told INVALID_SESSION and IDENTIFYs again (a new READY, no RESUMED): what docs/architecture.md
 * promises for that configuration. The same steps on Redis, where clients RESUME with every event
 * exactly once, are {@link MultiNodeResumeIT}.
 */
class ClusterFailoverIT {

    private static final int NODES = 3;
    private static final int CLIENTS = 60;
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    /** The close code an SDK reports for a connection that dropped without a close frame. */
    private static final int ABNORMAL = 1006;
    /** The close code an SDK closes with itself when the server sends RECONNECT (op 6). */
    private static final int SDK_RECONNECT = 4000;

    @Test
    void clientsSpreadOverTheNodesAndComeBackAfterAKillAndARollingRestart() throws Exception {
        long started = System.nanoTime();
        List<RecordingClient> clients = new ArrayList<>();
        try (Cluster cluster = Cluster.start(NODES, Map.of(), false)) {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(new RecordingClient(cluster.ws(), Cluster.token("cluster-" + i).mint(), List.of("messages"))
                        .start());
            }
            cluster.await("every client READY", RECOVERY, () -> allReady(clients));
            List<Integer> spread = cluster.connectionsPerNode();
            assertEquals(CLIENTS, spread.stream().mapToInt(Integer::intValue).sum(), () -> spread + cluster.diagnostics());
            assertTrue(spread.stream().allMatch(n -> n > 0), () -> "every node holds clients: " + spread
                    + cluster.diagnostics());

            // kill -9: the node's clients find a live node through the balancer (which skips the dead port)
            Snapshot beforeKill = Snapshot.of(clients, spread);
            long t = System.nanoTime();
            cluster.kill(1);
            List<RecordingClient> victims = beforeKill.recovered(cluster, 1, "after kill -9 of node 1");
            System.out.printf("kill -9 of node 1: %d clients READY again in %d ms%n", victims.size(), ms(t));
            // per-node sessions: a new READY (MultiNodeResumeIT shows the RESUME on the Redis engine)
            for (RecordingClient c : victims) {
                assertEquals(ABNORMAL, beforeKill.firstDropCode(c), () -> "a kill -9 is a dropped connection: "
                        + c.disconnects + cluster.diagnostics());
                assertEquals(beforeKill.readies(c) + 1, c.readies.size(),
                        () -> "re-IDENTIFIED after INVALID_SESSION" + cluster.diagnostics());
                assertEquals(beforeKill.resumes(c), c.resumes.size(),
                        () -> "no session to resume on another node today" + cluster.diagnostics());
            }

            // restart: the node takes new connections again
            cluster.restart(1);
            assertNewConnectionsReach(cluster, clients, 1);

            // rolling restart, SIGTERM one node at a time: after each step every client is READY again
            for (int i = 0; i < NODES; i++) {
                Snapshot before = Snapshot.of(clients, cluster.connectionsPerNode());
                t = System.nanoTime();
                int exit = cluster.terminate(i);
                List<RecordingClient> moved = before.recovered(cluster, i, "after SIGTERM of node " + i);
                System.out.printf("SIGTERM of node %d (exit %d): %d clients READY again in %d ms%n", i, exit,
                        moved.size(), ms(t));
                for (RecordingClient c : moved) {
                    // the drain's RECONNECT (op 6) came through the balancer ahead of the close: the SDK closed with 4000
                    assertEquals(SDK_RECONNECT, before.firstDropCode(c), () -> "RECONNECT before the close: "
                            + c.disconnects + cluster.diagnostics());
                }
                cluster.restart(i);
            }
            assertNewConnectionsReach(cluster, clients, 0);
            cluster.await("every client READY at the end", RECOVERY, () -> allReady(clients));
            for (RecordingClient c : clients) {
                assertEquals(List.of(), c.failures, () -> "no client gave up" + cluster.diagnostics());
            }
            assertEquals(0, cluster.balancer().refusedByAll(), "the balancer always found a live node");
            System.out.printf("ClusterFailoverIT: %d ms in all, connections per node at the end %s%n", ms(started),
                    cluster.connectionsPerNode());
        } finally {
            clients.forEach(RecordingClient::close);
        }
    }

    /** New clients through the balancer land on every node, this one included. */
    private static void assertNewConnectionsReach(Cluster cluster, List<RecordingClient> clients, int node) {
        int acceptedBefore = cluster.balancer().acceptedConnections(cluster.node(node).port());
        List<RecordingClient> fresh = new ArrayList<>();
        for (int i = 0; i < NODES * 2; i++) {
            fresh.add(new RecordingClient(cluster.ws(), Cluster.token("late-" + clients.size() + "-" + i).mint(),
                    List.of("messages")).start());
        }
        clients.addAll(fresh);
        cluster.await("new clients READY", RECOVERY, () -> allReady(fresh));
        assertTrue(cluster.balancer().acceptedConnections(cluster.node(node).port()) > acceptedBefore,
                () -> "the balancer sent new connections to " + cluster.nodeId(node) + cluster.diagnostics());
        cluster.await(cluster.nodeId(node) + " holds gateway connections again", RECOVERY,
                () -> cluster.connections(node) > 0);
    }

    private static boolean allReady(List<RecordingClient> clients) {
        return clients.stream().allMatch(c -> c.client.state() == AccordClient.State.READY && !c.readies.isEmpty());
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    /** What each client had seen before a step, and how many sockets the nodes held. */
    private record Snapshot(List<RecordingClient> clients, List<Integer> connections, int[] readies, int[] resumes,
                            int[] disconnects) {

        static Snapshot of(List<RecordingClient> clients, List<Integer> connections) {
            List<RecordingClient> copy = List.copyOf(clients);
            int[] r = new int[copy.size()];
            int[] s = new int[copy.size()];
            int[] d = new int[copy.size()];
            for (int i = 0; i < copy.size(); i++) {
                r[i] = copy.get(i).readies.size();
                s[i] = copy.get(i).resumes.size();
                d[i] = copy.get(i).disconnects.size();
            }
            return new Snapshot(copy, List.copyOf(connections), r, s, d);
        }

        int readies(RecordingClient c) {
            return readies[clients.indexOf(c)];
        }

        int resumes(RecordingClient c) {
            return resumes[clients.indexOf(c)];
        }

        /** The close code of the first disconnect after the snapshot. */
        int firstDropCode(RecordingClient c) {
            return c.disconnects.get(disconnects[clients.indexOf(c)]);
        }

        boolean dropped(RecordingClient c) {
            return c.disconnects.size() > disconnects[clients.indexOf(c)];
        }

        /**
         * Waits until every client that lost {@code node} is READY again (a new READY or RESUMED) and
         * checks they were exactly the node's clients: as many as it held, nobody else dropped.
         */
        List<RecordingClient> recovered(Cluster cluster, int node, String step) {
            int held = connections.get(node);
            cluster.await(step + ": the " + held + " clients of " + cluster.nodeId(node) + " dropped", RECOVERY,
                    () -> clients.stream().filter(this::dropped).count() >= held);
            cluster.await(step + ": every client READY again", RECOVERY, () -> clients.stream().allMatch(c ->
                    c.client.state() == AccordClient.State.READY
                            && (!dropped(c) || c.readies.size() + c.resumes.size() > readies(c) + resumes(c))));
            List<RecordingClient> victims = clients.stream().filter(this::dropped).toList();
            assertEquals(held, victims.size(), () -> step + ": only the clients of " + cluster.nodeId(node)
                    + " dropped (connections per node before: " + connections + ")" + cluster.diagnostics());
            return victims;
        }
    }
}
