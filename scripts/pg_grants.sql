-- The privileges of goldthread_read in one store's database (docs/deploy.md).
-- Run as the tables' owner, goldthread_import, once the store has its
-- tables (after its first import) and again after each goldthread upgrade:
--   psql "postgresql://.../gt?user=goldthread_import" -f scripts/pg_grants.sql
-- It may be run any number of times.
--
-- goldthread_read (serve, compute, check, report) reads every table and
-- writes only what those commands write:
--   runs         a compute, check or report records its run (INSERT), and
--                --keep-result clears the result kept by the run before
--                (UPDATE of result_json);
--   sessions     sign-in, activity, sign-out and expiry;
--   users        the failed sign-in count, lock-out and last sign-in only;
--   access_log   INSERT only (a trigger refuses UPDATE, DELETE, TRUNCATE);
--   plan_stories `goldthread story add` (INSERT only: a story is history).
-- It cannot import (import_batches, batch_files and the record tables are
-- read-only to it), migrate (it creates nothing), or add or change users
-- (`goldthread user` runs as goldthread_import), or load a plan (`goldthread
-- plan load` runs as goldthread_import).
GRANT USAGE ON SCHEMA public TO goldthread_read;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO goldthread_read;
-- Tables a later migration makes are readable at once.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO goldthread_read;
GRANT INSERT, UPDATE (result_json) ON runs TO goldthread_read;
GRANT INSERT, UPDATE (last_seen), DELETE ON sessions TO goldthread_read;
GRANT UPDATE (failed_sign_ins, locked_until, last_sign_in) ON users TO goldthread_read;
GRANT INSERT ON access_log TO goldthread_read;
GRANT INSERT ON plan_stories TO goldthread_read;
