-- The inputs the pgbench scripts need to run exactly the statements the app runs, computed once
-- from the seeded data into a side schema (:aux) that the app never reads.
--
--   psql -v schema=bench_10k -v aux=bench_10k_aux -f bench/sql/aux.sql
--
-- The app computes some statement parameters from the rows of an earlier statement (the
-- requesters of a page, their managers, the page's date window). pgbench cannot carry a result
-- set from one statement to the next, so these tables hold, per manager, what the app would pass
-- for the seeded data; each pgbench transaction reads its row with one primary-key lookup (the
-- only statement pgbench runs that the app does not).
\set ON_ERROR_STOP on
SET search_path TO :"schema";
DROP SCHEMA IF EXISTS :"aux" CASCADE;
CREATE SCHEMA :"aux";

-- Managers m1..mM.
CREATE TABLE :"aux".mgr AS
SELECT j AS m, 'm' || j || '@bench.example' AS email
FROM generate_series(1, (SELECT count(*) FROM people WHERE email LIKE 'm%@bench.example')) j;

-- GET /queue as manager m: the manager's reports (the app looks them up, then filters on the
-- list), the pending page (20 rows + 1), then describe() on its rows.
CREATE TABLE :"aux".queue AS
SELECT g.m, g.email AS manager,
       (SELECT coalesce(array_agg(email), '{}') FROM people WHERE manager_email = g.email) AS reports,
       coalesce(r.n, 0) AS nrows,
       coalesce(r.requesters, '{}') AS requesters,
       coalesce(mg.managers, '{}') AS managers,
       coalesce(t.team, '{}') AS team,
       coalesce(r.lo, date '2000-01-01') AS lo,
       coalesce(r.hi, date '2000-01-01') AS hi
FROM :"aux".mgr g
LEFT JOIN LATERAL (
    SELECT count(*) AS n, array_agg(requester_email ORDER BY request_id DESC) AS requesters,
           min(start_date) AS lo, max(end_date) AS hi
    FROM (SELECT request_id, requester_email, start_date, end_date FROM holiday_requests
          WHERE requester_email IN (SELECT email FROM people WHERE manager_email = g.email)
            AND status = 'Pending'
          ORDER BY request_id DESC LIMIT 20) page
) r ON true
LEFT JOIN LATERAL (
    SELECT array_agg(p.manager_email) AS managers FROM people p
    WHERE p.email = ANY (r.requesters) AND p.manager_email IS NOT NULL
) mg ON true
LEFT JOIN LATERAL (
    SELECT array_agg(p.email) AS team FROM people p WHERE p.manager_email = ANY (mg.managers)
) t ON true;
ALTER TABLE :"aux".queue ADD PRIMARY KEY (m);

-- GET /api/requests?limit=50 as manager m: own and team requests, pending first (51 rows), then
-- the rest (51 - pending rows) when the pending ones do not fill the page, then describe().
-- As the app does today, a page that ends in the second run keeps all 51 - pending rows of it
-- (51 rows in all, and no next cursor: see docs/benchmarks.md), so describe() gets those.
CREATE TABLE :"aux".list AS
SELECT g.m, g.email AS manager,
       (SELECT array_append(coalesce(array_agg(email), '{}'), g.email) FROM people WHERE manager_email = g.email)
           AS own_and_team,
       p.np, 51 - least(p.np, 51) AS rest_limit,
       coalesce(r.n, 0) AS nrows,
       coalesce(r.requesters, '{}') AS requesters,
       coalesce(mg.managers, '{}') AS managers,
       coalesce(t.team, '{}') AS team,
       coalesce(r.lo, date '2000-01-01') AS lo,
       coalesce(r.hi, date '2000-01-01') AS hi
FROM :"aux".mgr g
CROSS JOIN LATERAL (
    SELECT count(*)::int AS np FROM (
        SELECT 1 FROM holiday_requests
        WHERE requester_email IN (SELECT email FROM people WHERE manager_email = g.email UNION ALL SELECT g.email)
          AND status = 'Pending' LIMIT 51) x
) p
LEFT JOIN LATERAL (
    SELECT count(*) AS n, array_agg(requester_email ORDER BY k) AS requesters,
           min(start_date) AS lo, max(end_date) AS hi
    FROM (
        (SELECT 0 AS run, request_id, requester_email, start_date, end_date FROM holiday_requests
         WHERE requester_email IN (SELECT email FROM people WHERE manager_email = g.email UNION ALL SELECT g.email)
           AND status = 'Pending'
         ORDER BY request_id DESC LIMIT 50)
        UNION ALL
        (SELECT 1, request_id, requester_email, start_date, end_date FROM holiday_requests
         WHERE requester_email IN (SELECT email FROM people WHERE manager_email = g.email UNION ALL SELECT g.email)
           AND status <> 'Pending'
         ORDER BY request_id DESC LIMIT CASE WHEN p.np > 50 THEN 0 ELSE 51 - p.np END)
    ) rows_ CROSS JOIN LATERAL (SELECT (run, -request_id) AS k) o
) r ON true
LEFT JOIN LATERAL (
    SELECT array_agg(pp.manager_email) AS managers FROM people pp
    WHERE pp.email = ANY (r.requesters) AND pp.manager_email IS NOT NULL
) mg ON true
LEFT JOIN LATERAL (
    SELECT array_agg(pp.email) AS team FROM people pp WHERE pp.manager_email = ANY (mg.managers)
) t ON true;
ALTER TABLE :"aux".list ADD PRIMARY KEY (m);

-- Who can ask for a holiday (employees, then managers: 'e' sorts before 'm'), numbered from 0, with what submitting
-- and deciding pass to describe(): the person, their manager and the manager's team.
CREATE TABLE :"aux".emp AS
SELECT (row_number() OVER (ORDER BY kind, num) - 1)::int AS k, p.email, p.display_name AS name,
       'holidays-requests-of:' || p.email AS lockkey, p.manager_email AS manager,
       ARRAY[p.email] AS requesters, ARRAY[p.manager_email] AS managers,
       (SELECT array_agg(c.email) FROM people c WHERE c.manager_email = p.manager_email) AS team
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
    requesters text[] NOT NULL,
    managers text[] NOT NULL,
    team text[] NOT NULL,
    lo date NOT NULL,
    hi date NOT NULL
);
CREATE SEQUENCE :"aux".dec_seq;

ANALYZE :"aux".queue;
ANALYZE :"aux".list;
ANALYZE :"aux".emp;
SELECT (SELECT count(*) FROM :"aux".mgr) AS managers, (SELECT count(*) FROM :"aux".emp) AS requesters,
       (SELECT round(avg(nrows), 1) FROM :"aux".queue) AS avg_queue_rows,
       (SELECT round(avg(nrows), 1) FROM :"aux".list) AS avg_list_rows;
