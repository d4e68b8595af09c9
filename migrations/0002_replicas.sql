-- launchq schema, version 2: what every replica must agree on, kept here instead of in one replica's memory.
-- Suspension of scheduled reconciles, per-object backoff, and reconcile requests (run by the leader).
-- Changes are announced on the channel `launchq_control` (LISTEN/NOTIFY) so the leader wakes at once.

-- Exactly one row: whether scheduled reconciliation is suspended, by whom and since when.
CREATE TABLE scheduler_control (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    suspended  boolean     NOT NULL DEFAULT false,
    changed_by text,
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO scheduler_control (singleton, suspended) VALUES (true, false);

-- Objects whose writes keep failing: left alone until `not_before` (database clock). `step_id` is the plan
-- step id (`RunQueue ml/a100`). A success deletes the row.
CREATE TABLE object_backoff (
    step_id    text        PRIMARY KEY,
    failures   integer     NOT NULL CHECK (failures > 0),
    not_before timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- `POST /v1/reconcile` on any replica: recorded here, claimed and run by the leader (fenced by its lease term),
-- finished with the run's outcome and summary (JSON text) for `?wait=true` on whichever replica asked.
CREATE TABLE reconcile_requests (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requested_at    timestamptz NOT NULL DEFAULT now(),
    requested_by    text        NOT NULL,
    replica         text        NOT NULL,
    object_kind     text,
    object_identity text,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'finished')),
    claimed_by      text,
    claimed_term    bigint,
    started_at      timestamptz,
    finished_at     timestamptz,
    outcome         text,
    run             text,
    CHECK ((object_kind IS NULL) = (object_identity IS NULL))
);
CREATE INDEX reconcile_requests_open_idx ON reconcile_requests (id) WHERE state <> 'finished';
