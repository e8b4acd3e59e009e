-- The inputs the generated pgbench scripts (bench/py/ceiling.py) replay, computed once from the
-- seeded data into a side schema (:aux) that the app never reads.
--
--   psql -v schema=bench_10k -v aux=bench_10k_aux -f bench/sql/aux.sql
--
-- The app computes some statement parameters from the directory before it sends them (a
-- manager's reports, in the order it sorts them). pgbench cannot carry a result set from one
-- statement to the next, so these tables hold, per manager and per person, what the app would
-- pass; each pgbench transaction reads its row with one primary-key lookup (the only statement
-- pgbench runs that the app does not). ceiling.py finds which column each of the app's
-- parameters is by comparing values: a parameter that matches none stops the run, so a change
-- in what the app passes cannot go unnoticed.
\set ON_ERROR_STOP on
SET search_path TO :"schema";
DROP SCHEMA IF EXISTS :"aux" CASCADE;
CREATE SCHEMA :"aux";

-- Managers m1..mM, their reports as the app lists them (by display name, compared byte by byte
-- as Rust compares strings: COLLATE "C"), and the reports followed by the manager (whose
-- requests a manager sees in the JSON list).
CREATE TABLE :"aux".mgr AS
SELECT j AS m, g.email AS manager,
       coalesce(r.reports, '{}') AS reports,
       array_append(coalesce(r.reports, '{}'), g.email) AS own_and_team
FROM generate_series(1, (SELECT count(*) FROM people WHERE email LIKE 'm%@bench.example')) j
CROSS JOIN LATERAL (SELECT 'm' || j || '@bench.example' AS email) g
LEFT JOIN LATERAL (
    SELECT array_agg(p.email ORDER BY p.display_name COLLATE "C", p.email COLLATE "C") AS reports
    FROM people p WHERE p.manager_email = g.email
) r ON true;
ALTER TABLE :"aux".mgr ADD PRIMARY KEY (m);

-- The people on a manager's first queue page (their reports' 20 newest pending requests), in
-- the order the app sorts them: whose balances the page reads.
ALTER TABLE :"aux".mgr ADD COLUMN queue_people text[];
-- A team with nothing pending has none: the app then skips the statement, the generated
-- script runs it with an empty list (a few buffers of type rows more than the app reads).
UPDATE :"aux".mgr a SET queue_people = coalesce((
    SELECT array_agg(e ORDER BY e COLLATE "C") FROM (
        SELECT DISTINCT e FROM (
            SELECT h.requester_email AS e FROM holiday_requests h
            WHERE h.requester_email = ANY (a.reports) AND h.status = 'Pending'
            ORDER BY h.request_id DESC LIMIT 20) page) d), '{}');

-- Who can ask for a holiday (employees, then managers: 'e' sorts before 'm'), numbered from 0,
-- with what submitting passes: the person, their name and the key of their advisory lock.
CREATE TABLE :"aux".emp AS
SELECT (row_number() OVER (ORDER BY kind, num) - 1)::int AS k, p.email, p.display_name AS name,
       'holidays-requests-of:' || p.email AS lockkey, p.manager_email AS manager
FROM people p
CROSS JOIN LATERAL (SELECT left(p.email, 1) AS kind,
                           substring(p.email FROM 2 FOR position('@' IN p.email) - 2)::int AS num) n
WHERE p.email ~ '^[em][0-9]+@bench\.example$';
ALTER TABLE :"aux".emp ADD PRIMARY KEY (k);
CREATE UNIQUE INDEX ON :"aux".emp (email);
CREATE SEQUENCE :"aux".sub_seq MINVALUE 0 START 0;

-- Pending requests kept for deciding, filled by pool.sql before each deciding run.
CREATE TABLE :"aux".dec (
    n bigserial PRIMARY KEY,
    request_id int NOT NULL,
    manager text NOT NULL,
    requester text NOT NULL,
    lo date NOT NULL,
    hi date NOT NULL
);
CREATE SEQUENCE :"aux".dec_seq;

ANALYZE :"aux".mgr;
ANALYZE :"aux".emp;
SELECT (SELECT count(*) FROM :"aux".mgr) AS managers, (SELECT count(*) FROM :"aux".emp) AS requesters,
       (SELECT round(avg(cardinality(reports)), 1) FROM :"aux".mgr) AS avg_reports;
