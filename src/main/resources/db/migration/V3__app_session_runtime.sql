-- What the app-session service needs at run time (issue 3): one timer slot per session, the hash of the
-- current reconnect token, and "one live session" instead of "one ever".

-- One timer per app session (docs/lifecycle.md: ScheduleTimer replaces whatever is armed), so a timer of an
-- earlier state can never fire into a later one. The two deadline columns of V1 become one slot.
ALTER TABLE app_sessions DROP COLUMN grace_deadline;
ALTER TABLE app_sessions DROP COLUMN next_attempt_at;
ALTER TABLE app_sessions ADD COLUMN timer_kind VARCHAR(16);
ALTER TABLE app_sessions ADD COLUMN timer_at TIMESTAMPTZ;
ALTER TABLE app_sessions ADD CONSTRAINT app_sessions_timer_slot
    CHECK ((timer_kind IS NULL) = (timer_at IS NULL));
-- The poller claims due timers with FOR UPDATE SKIP LOCKED; only armed rows are in this index.
CREATE INDEX app_sessions_due_timer ON app_sessions (timer_at) WHERE timer_at IS NOT NULL;

-- SHA-256 of the reconnect token issued with the current generation; the token itself is shown once, in READY.
ALTER TABLE app_sessions ADD COLUMN reconnect_token_hash VARCHAR(64);
ALTER TABLE app_sessions ADD COLUMN stop_reason VARCHAR(64);
-- Lists of names are text[] rather than JSONB arrays: Hibernate Reactive reads a JSONB column as a JSON
-- object only. No app session existed before this migration, so the V1 column is replaced, not converted.
ALTER TABLE app_sessions DROP COLUMN subscriptions;
ALTER TABLE app_sessions ADD COLUMN subscriptions TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE app_sessions ADD COLUMN dropped_correlations TEXT[] NOT NULL DEFAULT '{}';

-- A stopped or evicted session is never reused: a new start makes a new app session. So the
-- "never two live instances" rule is one *non-terminal* session per package and user session.
ALTER TABLE app_sessions DROP CONSTRAINT app_sessions_one_per_user_session;
CREATE UNIQUE INDEX app_sessions_one_live_per_user_session ON app_sessions (package_name, user_session_id)
    WHERE state NOT IN ('STOPPED', 'EVICTED');
CREATE INDEX app_sessions_by_user_session ON app_sessions (package_name, user_session_id, created_at DESC);

-- GET /api/v1/stats computes the dashboard rates from the history over the last 1/5/15 minutes.
CREATE INDEX app_session_transitions_by_time ON app_session_transitions (at);
