-- launchq schema, version 6: `GET /v1/objects` without a query per request.
-- 1. Every transaction that writes objects announces the version it commits on the control channel
--    (`objects-version:<n>` on launchq_control; a notification is delivered only after its transaction commits),
--    so each replica's listener keeps the current version in memory instead of reading it per request.
-- 2. Each row keeps a 64-bit hash of its listed fields (`listed_hash`, set by a trigger on every write), so the
--    counts summary sums stored numbers instead of hashing every row's text on each change (about a third of the
--    time at 10,000 objects). The hashed fields are those 0005's summary hashed, in the same order.
CREATE OR REPLACE FUNCTION objects_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bumped bigint;
BEGIN
    UPDATE objects_version SET version = version + 1, changed_by = pg_current_xact_id()
    WHERE changed_by IS DISTINCT FROM pg_current_xact_id()
    RETURNING version INTO bumped;
    IF bumped IS NOT NULL THEN
        PERFORM pg_notify('launchq_control', 'objects-version:' || bumped);
    END IF;
    RETURN NULL;
END
$$;

ALTER TABLE objects ADD COLUMN listed_hash bigint NOT NULL DEFAULT 0;

CREATE FUNCTION objects_listed_hash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.listed_hash := hashtextextended(ROW(NEW.kind, NEW.identity, NEW.desired_hash, NEW.observed_hash, NEW.wandb_id,
                                            NEW.state, NEW.last_error, NEW.attempts, NEW.last_reconciled_at)::text, 0);
    RETURN NEW;
END
$$;

CREATE TRIGGER objects_listed_hash BEFORE INSERT OR UPDATE ON objects
    FOR EACH ROW EXECUTE FUNCTION objects_listed_hash();

UPDATE objects SET listed_hash = 0;
