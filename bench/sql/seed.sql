-- Seeds one benchmark schema with :n holiday requests, the directory and the audit trail.
--
--   psql -v n=100000 -v schema=bench_100k -f bench/sql/seed.sql
--
-- The app has already created the schema and its tables (it is started once on the schema
-- first), so this only fills them. Everything is INSERT ... SELECT over generate_series, with a
-- fixed random seed, so a rerun gives the same data.
--
-- Directory: E = max(2000, n/10) employees e<k>@bench.example, one manager per 8 of them
-- (m<j>, team j = employees 8(j-1)+1 .. 8j), one director per 8 managers (d<i>). Employees and
-- managers ask for holidays; each person's requests are spread evenly over 2019-2026 (about 9
-- each at every size above 20k rows), so a bigger table means a bigger company with the same
-- per-person history.
--
-- Statuses: the newest 20% of requests are pending with probability 3/4 (15% of all rows);
-- the rest are approved (75%), declined (12%) or cancelled (13%). Audit events: one
-- 'Submitted' per request, plus one 'Approved' / 'Declined' / 'Cancelled' per settled one.
\set ON_ERROR_STOP on
SET search_path TO :"schema";
SELECT setseed(0.42);

SELECT greatest(2000, :n / 10) AS employees \gset
SELECT (:employees + 7) / 8 AS managers \gset
SELECT (:managers + 7) / 8 AS directors \gset
SELECT :employees + :managers AS requesters \gset

BEGIN;
TRUNCATE request_events, request_days, balance_adjustments, holiday_requests, people RESTART IDENTITY;

INSERT INTO people (email, display_name, manager_email)
SELECT 'd' || i || '@bench.example', 'Director ' || i, NULL
FROM generate_series(1, :directors) i;
INSERT INTO people (email, display_name, manager_email)
SELECT 'm' || j || '@bench.example', 'Manager ' || j, 'd' || ((j - 1) / 8 + 1) || '@bench.example'
FROM generate_series(1, :managers) j;
INSERT INTO people (email, display_name, manager_email)
SELECT 'e' || k || '@bench.example', 'Employee ' || k, 'm' || ((k - 1) / 8 + 1) || '@bench.example'
FROM generate_series(1, :employees) k;

-- Requester r (1..requesters): employees first, then managers. Request i belongs to requester
-- ((i - 1) % requesters) + 1, so each person's requests are about (requesters / n) * 8 years
-- apart and never overlap.
INSERT INTO holiday_requests (request_id, employee_name, start_date, end_date, status, manager_note,
                              requester_email, comment, created_at, decided_by, decided_at)
SELECT i, p.display_name, s.start_date, s.start_date + s.extra_days, s.status,
       CASE WHEN s.status IN ('Approved', 'Declined') AND random() < 0.5 THEN 'Noted, thanks' END,
       p.email,
       CASE WHEN random() < 0.3 THEN 'Family visit' END,
       s.created_at,
       CASE WHEN s.status IN ('Approved', 'Declined') THEN p.manager_email END,
       CASE WHEN s.status IN ('Approved', 'Declined')
            THEN s.created_at + interval '1 day' * (1 + floor(random() * 3)) END
FROM generate_series(1, :n) i
CROSS JOIN LATERAL (
    SELECT CASE WHEN r <= :employees THEN 'e' || r ELSE 'm' || (r - :employees) END || '@bench.example' AS email
    FROM (SELECT ((i - 1) % :requesters) + 1 AS r) q
) who
JOIN people p ON p.email = who.email
CROSS JOIN LATERAL (
    SELECT t AS created_at,
           t::date + 7 + floor(random() * 60)::int AS start_date,
           floor(random() * 10)::int AS extra_days,
           CASE
               WHEN i > :n * 0.8 AND random() < 0.75 THEN 'Pending'
               ELSE (ARRAY['Approved', 'Declined', 'Cancelled'])[
                   CASE WHEN u < 0.75 THEN 1 WHEN u < 0.87 THEN 2 ELSE 3 END]
           END AS status
    FROM (SELECT timestamp '2019-01-01' + interval '1 second' * floor(i::float8 / :n * 245000000) AS t,
                 random() AS u) base
) s;
SELECT setval(pg_get_serial_sequence('holiday_requests', 'request_id'), :n);

-- What each request takes, as the app stores it (its Monday-to-Friday days: the seeded people
-- have no location, so no public holidays), and its days per leave year, which balances add up.
UPDATE holiday_requests SET days =
    (5 * ((end_date + 1 - DATE '0001-01-01') / 7) + least((end_date + 1 - DATE '0001-01-01') % 7, 5))
  - (5 * ((start_date - DATE '0001-01-01') / 7) + least((start_date - DATE '0001-01-01') % 7, 5));
INSERT INTO request_days (request_id, leave_year, days, carry_window_days)
SELECT request_id, extract(year FROM start_date)::integer, days,
       CASE WHEN extract(month FROM start_date) <= 3 THEN days ELSE 0 END
FROM holiday_requests WHERE days > 0;

INSERT INTO request_events (request_id, actor_email, action, note, created_at)
SELECT request_id, requester_email, 'Submitted', comment, created_at
FROM holiday_requests ORDER BY request_id;
INSERT INTO request_events (request_id, actor_email, action, note, created_at)
SELECT request_id,
       CASE WHEN status = 'Cancelled' THEN requester_email ELSE decided_by END,
       status,
       manager_note,
       coalesce(decided_at, created_at + interval '1 day')
FROM holiday_requests WHERE status <> 'Pending' ORDER BY request_id;
COMMIT;

VACUUM ANALYZE people;
VACUUM ANALYZE holiday_requests;
VACUUM ANALYZE request_events;

SELECT count(*) AS requests,
       count(*) FILTER (WHERE status = 'Pending') AS pending,
       (SELECT count(*) FROM people) AS people,
       (SELECT count(*) FROM request_events) AS events
FROM holiday_requests;
