-- Adds :count pending requests to decide (with their 'Submitted' events, as the app writes them)
-- and lists them in :aux.dec for the deciding run that follows. Request g is asked by requester
-- (g * :stride) mod R for the week (g * :stride) div R after :base (a Monday after every seeded
-- request, inside the app's date window), so they overlap nothing of the same person. :stride
-- is 1 unless given (bench/py/ceiling.py takes a few requests of different teams and weeks).
--
--   psql -v schema=bench_10k -v aux=bench_10k_aux -v count=20000 -v base=2027-01-04 -f bench/sql/pool.sql
--
-- Prints the first and last n of the batch in :aux.dec. run.sh deletes the batch after the run,
-- so every measurement sees the seeded table at its nominal size.
\set ON_ERROR_STOP on
SET search_path TO :"schema";
SELECT count(*) AS requesters FROM :"aux".emp \gset
\if :{?stride}
\else
\set stride 1
\endif
BEGIN;
WITH ins AS (
    INSERT INTO holiday_requests (employee_name, requester_email, start_date, end_date, status, comment, created_at)
    SELECT e.name, e.email, date :'base' + (g * :stride / :requesters)::int * 7,
           date :'base' + (g * :stride / :requesters)::int * 7 + 1, 'Pending', 'Benchmark pool', now() AT TIME ZONE 'utc'
    FROM generate_series(0, :count - 1) g
    JOIN :"aux".emp e ON e.k = g * :stride % :requesters
    ORDER BY g
    RETURNING request_id, requester_email, start_date, end_date, comment, created_at
), ev AS (
    INSERT INTO request_events (request_id, actor_email, action, note, created_at)
    SELECT request_id, requester_email, 'Submitted', comment, created_at FROM ins
)
INSERT INTO :"aux".dec (request_id, manager, requester, lo, hi)
SELECT i.request_id, e.manager, e.email, i.start_date, i.end_date
FROM ins i JOIN :"aux".emp e ON e.email = i.requester_email
ORDER BY i.request_id;
COMMIT;
ANALYZE holiday_requests;
SELECT min(n) AS first_n, max(n) AS last_n FROM :"aux".dec
WHERE n > coalesce((SELECT max(n) FROM :"aux".dec) - :count, 0);
