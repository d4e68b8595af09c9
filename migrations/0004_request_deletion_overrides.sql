-- launchq schema, version 4: a reconcile request may carry the deletion guards' overrides for its run
-- (`POST /v1/reconcile?allowNonemptyDelete=true&maxDeletions=N`), as `launchq apply` takes them as flags.
-- false / NULL: the service's own settings decide.
ALTER TABLE reconcile_requests
    ADD COLUMN allow_nonempty_delete boolean NOT NULL DEFAULT false,
    ADD COLUMN max_deletions integer CHECK (max_deletions >= 0);
