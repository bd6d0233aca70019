-- The roles of a goldthread PostgreSQL store (docs/deploy.md), made once
-- per server by an administrator: psql -f scripts/pg_roles.sql. Each
-- database that holds a store then gets scripts/pg_grants.sql.
--   goldthread_import  owns the store's tables: imports, migrations,
--                      `goldthread user` (users are the importer's to manage).
--   goldthread_read    serve, compute, check, report: reads everything;
--                      writes only runs, sessions, sign-in counts and the
--                      access log.
-- Passwords: ALTER ROLE ... PASSWORD (or certificates) as the council's
-- policy says; a URL carries none (use ~/.pgpass or PGPASSFILE).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'goldthread_import') THEN
    CREATE ROLE goldthread_import LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'goldthread_read') THEN
    CREATE ROLE goldthread_read LOGIN;
  END IF;
END
$$;
