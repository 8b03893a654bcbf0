-- Apps ("packages") and their sessions, with an append-only transition history (issue 3).
CREATE TABLE apps (
    package_name         VARCHAR(128) PRIMARY KEY,
    webhook_url          TEXT         NOT NULL,
    api_key_hash         VARCHAR(128) NOT NULL,
    webhook_secret_hash  VARCHAR(128) NOT NULL,
    reconnect_grace_ms   BIGINT,
    policy_overrides     JSONB        NOT NULL DEFAULT '{}'::jsonb,
    created_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE app_sessions (
    id                   UUID         PRIMARY KEY,
    package_name         VARCHAR(128) NOT NULL REFERENCES apps (package_name) ON DELETE CASCADE,
    user_session_id      VARCHAR(128) NOT NULL,
    state                VARCHAR(16)  NOT NULL,
    generation           BIGINT       NOT NULL DEFAULT 0,
    resurrection_attempts INT         NOT NULL DEFAULT 0,
    webhook_accepted     BOOLEAN      NOT NULL DEFAULT FALSE,
    dropped_at           TIMESTAMPTZ,
    grace_deadline       TIMESTAMPTZ,
    next_attempt_at      TIMESTAMPTZ,
    subscriptions        JSONB        NOT NULL DEFAULT '[]'::jsonb,
    pending_correlations JSONB        NOT NULL DEFAULT '{}'::jsonb,
    owner_node           VARCHAR(128),
    version              BIGINT       NOT NULL DEFAULT 0,
    created_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- One app session per package per user session: the root of "never two live instances".
    CONSTRAINT app_sessions_one_per_user_session UNIQUE (package_name, user_session_id)
);

-- Timers are claimed from here (FOR UPDATE SKIP LOCKED): only sessions with a deadline are scanned.
CREATE INDEX app_sessions_due_grace ON app_sessions (grace_deadline) WHERE grace_deadline IS NOT NULL;
CREATE INDEX app_sessions_due_attempt ON app_sessions (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX app_sessions_by_state ON app_sessions (state, package_name);

CREATE TABLE app_session_transitions (
    id               BIGSERIAL    PRIMARY KEY,
    app_session_id   UUID         NOT NULL REFERENCES app_sessions (id) ON DELETE CASCADE,
    at               TIMESTAMPTZ  NOT NULL DEFAULT now(),
    from_state       VARCHAR(16),
    to_state         VARCHAR(16)  NOT NULL,
    event            VARCHAR(64)  NOT NULL,
    detail           JSONB        NOT NULL DEFAULT '{}'::jsonb,
    node             VARCHAR(128)
);
CREATE INDEX app_session_transitions_by_session ON app_session_transitions (app_session_id, id);
