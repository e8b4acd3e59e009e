-- The hostile-volume case: one employee (:who, reporting to :manager) with :rows one-day
-- requests on top of a seeded schema. As many of them as fit are pending or approved, one per day
-- of the app's date window (2 years back to 3 years ahead of today; a day inside each end), which
-- keeps them apart as the overlap constraint requires: approved before today, pending from today.
-- The rest are declined (40%) or cancelled (60%), on any day of the window. Their ids are handed
-- out in random order, so the pending ones are spread through the newest ids of the table.
--
--   psql -v schema=bench_hostile -v rows=100000 -v who=hostile@bench.example -v manager=m1@bench.example \
--        -f bench/sql/hostile.sql
\set ON_ERROR_STOP on
SET search_path TO :"schema";
SELECT setseed(0.17);
SELECT (current_date - interval '2 years')::date + 1 AS first_day,
       (current_date + interval '3 years')::date - 1 AS last_day \gset
SELECT :'last_day'::date - :'first_day'::date + 1 AS days \gset

BEGIN;
INSERT INTO people (email, display_name, manager_email) VALUES (:'who', 'Hostile Volume', :'manager');
INSERT INTO holiday_requests (employee_name, requester_email, start_date, end_date, status, manager_note,
                              comment, created_at, decided_by, decided_at)
SELECT 'Hostile Volume', :'who', d, d, status, NULL, 'Volume ' || g, created_at,
       CASE WHEN status IN ('Approved', 'Declined') THEN :'manager' END,
       CASE WHEN status IN ('Approved', 'Declined') THEN created_at + interval '1 hour' END
FROM (
    SELECT g, d, status,
           timestamp :'first_day' - interval '30 days'
               + interval '1 second' * floor(rn::float8 / :rows * extract(epoch FROM (now() - (timestamp :'first_day' - interval '30 days')))) AS created_at,
           rn
    FROM (
        SELECT g, d, status, row_number() OVER (ORDER BY random()) AS rn
        FROM (
            SELECT g,
                   CASE WHEN g <= :days THEN :'first_day'::date + (g - 1)
                        ELSE :'first_day'::date + ((g::bigint * 7919) % :days)::int END AS d,
                   CASE WHEN g <= :days AND :'first_day'::date + (g - 1) < current_date THEN 'Approved'
                        WHEN g <= :days THEN 'Pending'
                        WHEN random() < 0.4 THEN 'Declined'
                        ELSE 'Cancelled' END AS status
            FROM generate_series(1, :rows) g
        ) a
    ) b
) c
ORDER BY rn;

INSERT INTO request_events (request_id, actor_email, action, note, created_at)
SELECT request_id, requester_email, 'Submitted', comment, created_at
FROM holiday_requests WHERE requester_email = :'who' ORDER BY request_id;
INSERT INTO request_events (request_id, actor_email, action, note, created_at)
SELECT request_id, CASE WHEN status = 'Cancelled' THEN requester_email ELSE decided_by END, status, NULL,
       coalesce(decided_at, created_at + interval '1 hour')
FROM holiday_requests WHERE requester_email = :'who' AND status <> 'Pending' ORDER BY request_id;
COMMIT;

VACUUM ANALYZE people;
VACUUM ANALYZE holiday_requests;
VACUUM ANALYZE request_events;

SELECT count(*) AS requests,
       count(*) FILTER (WHERE status = 'Pending') AS pending,
       count(*) FILTER (WHERE status = 'Approved') AS approved,
       count(*) FILTER (WHERE status IN ('Declined', 'Cancelled')) AS declined_or_cancelled,
       min(start_date) AS first_day, max(start_date) AS last_day
FROM holiday_requests WHERE requester_email = :'who';
