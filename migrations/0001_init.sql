-- launchq schema, version 1: desired-state revisions, object status, audit events, API tokens, leader lease.
-- Applied by `launchq migrate` (and at `serve` start) in one transaction; never edit once released.

-- Desired-state history. `id` is the revision number shown to users (/v1/revisions/{n}).
CREATE TABLE revisions (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_kind       text        NOT NULL CHECK (source_kind IN ('directory', 'git', 'api')),
    source_location   text        NOT NULL,
    git_commit        text,
    author            text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    content_hash      text        NOT NULL,
    declaration_count integer     NOT NULL CHECK (declaration_count >= 0)
);
CREATE INDEX revisions_content_hash_idx ON revisions (content_hash);

-- The validated declarations of a revision, with where each came from. `document` is the canonical JSON text,
-- stored as text so it round-trips byte for byte.
CREATE TABLE revision_declarations (
    revision_id  bigint  NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    ordinal      integer NOT NULL,
    kind         text    NOT NULL,
    identity     text    NOT NULL,
    content_hash text    NOT NULL,
    document     text    NOT NULL,
    file         text    NOT NULL,
    line         integer NOT NULL,
    "column"     integer NOT NULL,
    PRIMARY KEY (revision_id, kind, identity)
);

-- Exactly one row: which revision is current. Updated with optimistic concurrency.
CREATE TABLE current_revision (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    revision_id bigint      REFERENCES revisions (id),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO current_revision (singleton, revision_id) VALUES (true, NULL);

-- One row per managed object, keyed by (kind, identity).
CREATE TABLE objects (
    kind               text        NOT NULL,
    identity           text        NOT NULL,
    desired_hash       text,
    observed_state     text,
    observed_hash      text,
    wandb_id           text,
    state              text        NOT NULL CHECK (state IN ('pending', 'ready', 'drifted', 'failed', 'orphaned')),
    last_error         text,
    attempts           integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_reconciled_at timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, identity)
);
CREATE INDEX objects_state_idx ON objects (state);

-- Append-only audit log.
CREATE TABLE events (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    actor           text        NOT NULL,
    object_kind     text,
    object_identity text,
    action          text        NOT NULL,
    before_summary  text,
    after_summary   text,
    outcome         text        NOT NULL CHECK (outcome IN ('started', 'succeeded', 'failed', 'skipped', 'refused')),
    message         text,
    revision_id     bigint      REFERENCES revisions (id)
);
CREATE INDEX events_object_idx ON events (object_kind, object_identity, id DESC);

CREATE FUNCTION launchq_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER events_append_only
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION launchq_events_append_only();

-- Admin API tokens: only the SHA-256 of the secret is stored. A name is unique among active tokens.
CREATE TABLE api_tokens (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role         text        NOT NULL CHECK (role IN ('viewer', 'admin')),
    token_sha256 text        NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE UNIQUE INDEX api_tokens_active_name_idx ON api_tokens (name) WHERE revoked_at IS NULL;

-- Leader lease: one active reconciler among replicas. Times come from the database clock.
CREATE TABLE leader_lease (
    name        text        PRIMARY KEY,
    holder      text        NOT NULL,
    term        bigint      NOT NULL CHECK (term > 0),
    acquired_at timestamptz NOT NULL,
    renewed_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
