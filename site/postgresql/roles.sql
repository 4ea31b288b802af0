-- Sijill on PostgreSQL with an application role that does not own the tables (see README, "Production
-- database roles"). Run once as a superuser, with psql, after choosing the passwords:
--   psql -v owner_password=... -v app_password=... -f site/postgresql/roles.sql
-- The owner runs migrations and nothing else; the site connects as sijill_app, which cannot drop or
-- disable a trigger, truncate a table, or change or delete audit events.

CREATE ROLE sijill_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE sijill_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
CREATE DATABASE sijill OWNER sijill_owner ENCODING 'UTF8' TEMPLATE template0;

\connect sijill
-- Only the owner creates objects in the schema; nobody else, PUBLIC included.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO sijill_owner;
GRANT USAGE ON SCHEMA public TO sijill_app;
REVOKE ALL ON DATABASE sijill FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE sijill TO sijill_app;
ALTER DATABASE sijill SET jit = off;
-- Search's rank index needs RUM (Debian: apt-get install postgresql-NN-rum), an extension only a superuser
-- may create. Without it search works and ranks common words more slowly; drop this line if it is absent.
CREATE EXTENSION IF NOT EXISTS rum;
-- pg_trgm (trigram indexes for partial matches over party names and case numbers) ships with PostgreSQL
-- and is trusted: migration records 0017 creates it as the owner. Nothing to do here.

-- Then, as the owner, migrate; SIJILL_DATABASE_APP_ROLE grants the application role its privileges on
-- every table after each migration (events and scopes of the audit trail: SELECT and INSERT only):
--   DATABASE_URL=postgres://sijill_owner:...@host/sijill SIJILL_DATABASE_APP_ROLE=sijill_app \
--       .venv/bin/python manage.py migrate
-- and run the site as the application role:
--   DATABASE_URL=postgres://sijill_app:...@host/sijill .venv/bin/python manage.py serve
