package io.appmanager.gateway;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** This node's open sockets and its sessions, live or parked. */
@ApplicationScoped
public class SessionRegistry {

    private final Map<String, GatewaySession> sessions = new ConcurrentHashMap<>();
    private final Map<String, GatewayConnection> connections = new ConcurrentHashMap<>();

    void addConnection(GatewayConnection c) {
        connections.put(c.id(), c);
    }

    GatewayConnection connection(String id) {
        return connections.get(id);
    }

    GatewayConnection removeConnection(String id) {
        return connections.remove(id);
    }

    Collection<GatewayConnection> connections() {
        return connections.values();
    }

    void addSession(GatewaySession s) {
        sessions.put(s.id(), s);
    }

    public GatewaySession session(String id) {
        return sessions.get(id);
    }

    void removeSession(GatewaySession s) {
        sessions.remove(s.id(), s);
    }

    public int connectionCount() {
        return connections.size();
    }

    public int sessionCount() {
        return sessions.size();
    }

    public int parkedCount() {
        int n = 0;
        for (GatewaySession s : sessions.values()) {
            if (s.isParked()) {
                n++;
            }
        }
        return n;
    }

    public int liveCount() {
        return sessions.size() - parkedCount();
    }
}
