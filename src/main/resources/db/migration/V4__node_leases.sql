-- Node leases (issue 4): which nodes are alive. A node registers at start and renews its row every
-- appmanager.app-sessions.lease.renew-interval; a row whose expires_at has passed (or a missing row) is a
-- dead node, and live nodes adopt its app sessions (CloudRestarted: restart grace, never an immediate
-- resurrection). Every time here is PostgreSQL's now(), never a node's clock, so clock skew between nodes
-- cannot make a live lease look expired.
CREATE TABLE node_leases (
    node_id      VARCHAR(128) PRIMARY KEY,
    -- A fresh id at every registration: a renewal names it, so a node whose lease lapsed and was
    -- registered again (by itself, or by a new process with the same node id) cannot renew the old one.
    incarnation  UUID         NOT NULL,
    started_at   TIMESTAMPTZ  NOT NULL,
    renewed_at   TIMESTAMPTZ  NOT NULL,
    expires_at   TIMESTAMPTZ  NOT NULL
);
-- Pruning rows of nodes dead for long.
CREATE INDEX node_leases_by_expiry ON node_leases (expires_at);

-- The orphan sweep and the restart look up live app sessions by owner.
CREATE INDEX app_sessions_live_by_owner ON app_sessions (owner_node)
    WHERE owner_node IS NOT NULL AND state NOT IN ('STOPPED', 'EVICTED');
