-- launchq schema, version 7: two fixes to `GET /v1/objects` (issue 13).
-- 1. `listed_hash` no longer depends on the writing session's settings. 0006 hashed the row's text, in which
--    `last_reconciled_at` (timestamptz) is rendered in the session's TimeZone (and DateStyle): the same row written by
--    a session in another time zone got another hash, so the counts summary and the listing's ETag moved without a
--    change. The timestamp is now hashed as whole microseconds since the epoch (NULL stays NULL); every row's hash
--    is recomputed (the update bumps the objects' version once, so caches recompute their summary once).
-- 2. An index for `?entity=`: the filter (a team whose identity is the entity; projects and queues named
--    `entity/…`) used no index, so every filtered page and summary scanned every object. The queries now also ask
--    `split_part(identity, '/', 1) = split_part(entity, '/', 1)`, which every matching row satisfies, and this index
--    answers it; its (kind, identity) columns keep one entity's rows in listing order for the keyset pages.
CREATE OR REPLACE FUNCTION objects_listed_hash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.listed_hash := hashtextextended(ROW(NEW.kind, NEW.identity, NEW.desired_hash, NEW.observed_hash, NEW.wandb_id,
                                            NEW.state, NEW.last_error, NEW.attempts,
                                            (extract(epoch FROM NEW.last_reconciled_at) * 1000000)::bigint)::text, 0);
    RETURN NEW;
END
$$;

-- Before the update: the update leaves the objects' version trigger (deferred to commit) pending, and PostgreSQL
-- refuses CREATE INDEX on a table with pending trigger events.
CREATE INDEX objects_entity ON objects (split_part(identity, '/', 1), kind, identity);

UPDATE objects SET listed_hash = 0;
