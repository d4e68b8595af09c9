-- launchq schema, version 5: a change counter for `objects`, so `GET /v1/objects` can reuse its counts summary
-- (an aggregate over every row of the filter) until the objects change, instead of computing it per request.
-- `version` grows by one for every committed transaction that inserts, updates or deletes objects (or truncates
-- the table), whoever writes them. The trigger is deferred to commit, so the row is locked only in the instant
-- before each writing transaction commits (no deadlock with row locks on `objects`), and once per transaction.
CREATE TABLE objects_version (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    version bigint NOT NULL,
    changed_by xid8
);
INSERT INTO objects_version (version) VALUES (0);

CREATE FUNCTION objects_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE objects_version SET version = version + 1, changed_by = pg_current_xact_id()
    WHERE changed_by IS DISTINCT FROM pg_current_xact_id();
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER objects_version_bump AFTER INSERT OR UPDATE OR DELETE ON objects
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION objects_version_bump();
CREATE TRIGGER objects_version_bump_truncate AFTER TRUNCATE ON objects
    FOR EACH STATEMENT EXECUTE FUNCTION objects_version_bump();
