-- Adds the two teams the calendar mode measures to a seeded schema (bench/sql/seed.sql first):
--
--   psql -v n=100000 -v schema=bench_100k -v month=2026-10-01 -f bench/sql/calendar.sql
--
-- Team t (t = 8 and t = 200): the manager cal<t>@bench.example (reporting to d1, like the
-- seeded managers) and t reports cal<t>-e<k>@bench.example. Their locations cycle through
-- GB-ENG, DE, FR and US, so the page also works out public holidays (the seeded people have
-- none).
--
-- Their requests, as the seed makes everyone's:
--   * history: each person has as many requests as a seeded requester (n / requesters,
--     at least 1), spread evenly over the seed's 2019-2026, same status mix (the newest 20%
--     pending with probability 3/4; else approved 75%, declined 12%, cancelled 13%), 1 to 10
--     days each, starting 7 to 67 days after they were made; those that would touch the
--     measured month (or the week either side) are dropped, so that
--   * the measured month: every 5th person of each team (k = 0, 5, 10, ...; k = 0 is the
--     manager) has one request in it, on a weekday, 1 to 6 days; alternately approved and
--     pending; one in three starts in the afternoon, one in three (of several days) ends at
--     noon; one in seven is sick leave (a private type: colleagues read "Off"). That is 2 of
--     the 9 people of the team of 8 and 41 of the 201 of the team of 200: about twice the
--     density of a month of the seed (where about one person in ten has leave in a given
--     month), so the month view has leave to draw for both teams.
-- days and request_days are filled as seed.sql fills them (Monday-to-Friday days), less half
-- a day per half-day end; the audit trail too (one 'Submitted' per request, plus the decision).
\set ON_ERROR_STOP on
SET search_path TO :"schema";
SELECT setseed(0.24);

SELECT greatest(2000, :n / 10) AS employees \gset
SELECT (:employees + 7) / 8 AS managers \gset
SELECT greatest(1, round(:n::numeric / (:employees + :managers)))::int AS per_person \gset
SELECT DATE :'month' AS first_day, (DATE :'month' + interval '1 month' - interval '1 day')::date AS last_day \gset

BEGIN;
DELETE FROM holiday_requests WHERE requester_email LIKE 'cal%@bench.example';
DELETE FROM people WHERE email LIKE 'cal%@bench.example';

CREATE TEMP TABLE cal_people ON COMMIT DROP AS
SELECT t.size AS team, k,
       CASE WHEN k = 0 THEN 'cal' || t.size || '@bench.example'
            ELSE 'cal' || t.size || '-e' || k || '@bench.example' END AS email,
       CASE WHEN k = 0 THEN 'Calendar ' || t.size || ' Manager'
            ELSE 'Calendar ' || t.size || ' Employee ' || k END AS display_name,
       CASE WHEN k = 0 THEN 'd1@bench.example' ELSE 'cal' || t.size || '@bench.example' END AS manager_email,
       (ARRAY['GB-ENG', 'DE', 'FR', 'US'])[k % 4 + 1] AS location
FROM (VALUES (8), (200)) t(size)
CROSS JOIN LATERAL generate_series(0, t.size) k;

INSERT INTO people (email, display_name, manager_email, location)
SELECT email, display_name, manager_email, location FROM cal_people ORDER BY team, k;

-- History.
INSERT INTO holiday_requests (employee_name, start_date, end_date, status, manager_note, requester_email,
                              comment, created_at, decided_by, decided_at)
SELECT p.display_name, s.start_date, s.start_date + s.extra_days, s.status,
       CASE WHEN s.status IN ('Approved', 'Declined') AND random() < 0.5 THEN 'Noted, thanks' END,
       p.email,
       CASE WHEN random() < 0.3 THEN 'Family visit' END,
       s.created_at,
       CASE WHEN s.status IN ('Approved', 'Declined') THEN p.manager_email END,
       CASE WHEN s.status IN ('Approved', 'Declined')
            THEN s.created_at + interval '1 day' * (1 + floor(random() * 3)) END
FROM cal_people p
CROSS JOIN LATERAL generate_series(0, :per_person - 1) j
CROSS JOIN LATERAL (
    SELECT t AS created_at,
           t::date + 7 + floor(random() * 60)::int AS start_date,
           floor(random() * 10)::int AS extra_days,
           CASE
               WHEN x > 0.8 AND random() < 0.75 THEN 'Pending'
               ELSE (ARRAY['Approved', 'Declined', 'Cancelled'])[
                   CASE WHEN u < 0.75 THEN 1 WHEN u < 0.87 THEN 2 ELSE 3 END]
           END AS status
    FROM (SELECT timestamp '2019-01-01' + interval '1 second' * floor(x * 245000000) AS t, x, random() AS u
          FROM (SELECT (j + (p.k + 0.5) / (p.team + 1)) / :per_person AS x) f) base
) s
WHERE s.start_date + s.extra_days < DATE :'first_day' - 7 OR s.start_date > DATE :'last_day' + 7;

-- The measured month.
INSERT INTO holiday_requests (employee_name, start_date, end_date, status, requester_email, comment,
                              created_at, decided_by, decided_at, leave_type_id, start_part, end_part)
SELECT p.display_name, d.start_date, d.start_date + d.extra_days,
       CASE WHEN d.sick OR d.i % 2 = 0 THEN 'Approved' ELSE 'Pending' END,
       p.email,
       CASE WHEN d.i % 4 = 1 THEN 'Back on the ' || to_char(d.start_date + d.extra_days + 1, 'FMDDth') END,
       d.start_date - 20 + time '09:30',
       CASE WHEN d.sick OR d.i % 2 = 0 THEN p.manager_email END,
       CASE WHEN d.sick OR d.i % 2 = 0 THEN d.start_date - 18 + time '11:00' END,
       CASE WHEN d.sick THEN 2 ELSE 1 END,
       CASE WHEN d.i % 3 = 0 THEN 'afternoon' ELSE 'full' END,
       CASE WHEN d.i % 3 = 1 AND d.extra_days > 0 THEN 'morning' ELSE 'full' END
FROM cal_people p
CROSS JOIN LATERAL (
    SELECT i, s + CASE extract(isodow FROM s) WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END AS start_date,
           i % 6 AS extra_days, i % 7 = 3 AS sick
    FROM (SELECT p.k / 5 AS i, (DATE :'first_day' + (p.k * 7) % 24) AS s) q
) d
WHERE p.k % 5 = 0;

-- Days, as seed.sql counts them, less the half days (on weekdays).
UPDATE holiday_requests SET days =
    (5 * ((end_date + 1 - DATE '0001-01-01') / 7) + least((end_date + 1 - DATE '0001-01-01') % 7, 5))
  - (5 * ((start_date - DATE '0001-01-01') / 7) + least((start_date - DATE '0001-01-01') % 7, 5))
  - CASE WHEN start_part = 'afternoon' AND extract(isodow FROM start_date) <= 5 THEN 0.5 ELSE 0 END
  - CASE WHEN end_part = 'morning' AND extract(isodow FROM end_date) <= 5 THEN 0.5 ELSE 0 END
WHERE requester_email LIKE 'cal%@bench.example';
INSERT INTO request_days (request_id, leave_year, days, carry_window_days)
SELECT request_id, extract(year FROM start_date)::integer, days,
       CASE WHEN extract(month FROM start_date) <= 3 THEN days ELSE 0 END
FROM holiday_requests WHERE requester_email LIKE 'cal%@bench.example' AND days > 0;

INSERT INTO request_events (request_id, actor_email, action, note, created_at)
SELECT request_id, requester_email, 'Submitted', comment, created_at
FROM holiday_requests WHERE requester_email LIKE 'cal%@bench.example' ORDER BY request_id;
INSERT INTO request_events (request_id, actor_email, action, note, created_at)
SELECT request_id,
       CASE WHEN status = 'Cancelled' THEN requester_email ELSE decided_by END,
       status, manager_note, coalesce(decided_at, created_at + interval '1 day')
FROM holiday_requests WHERE requester_email LIKE 'cal%@bench.example' AND status <> 'Pending' ORDER BY request_id;
COMMIT;

VACUUM ANALYZE people;
VACUUM ANALYZE holiday_requests;
VACUUM ANALYZE request_days;
VACUUM ANALYZE request_events;

-- One line per team: people (manager included), their requests, their pending and approved
-- requests with a day in the month, how many of those start or end at noon, and how many of the
-- team's people have leave in the month.
SELECT c.team, count(DISTINCT c.email),
       count(h.request_id),
       count(h.request_id) FILTER (WHERE h.status IN ('Pending', 'Approved') AND h.start_date <= DATE :'last_day'
                                   AND h.end_date >= DATE :'first_day'),
       count(h.request_id) FILTER (WHERE h.status IN ('Pending', 'Approved') AND h.start_date <= DATE :'last_day'
                                   AND h.end_date >= DATE :'first_day'
                                   AND (h.start_part <> 'full' OR h.end_part <> 'full')),
       count(DISTINCT h.requester_email) FILTER (WHERE h.status IN ('Pending', 'Approved')
                                   AND h.start_date <= DATE :'last_day' AND h.end_date >= DATE :'first_day')
FROM (SELECT team, email FROM (VALUES (8), (200)) t(team)
      JOIN people p ON p.manager_email = 'cal' || t.team || '@bench.example' OR p.email = 'cal' || t.team || '@bench.example') c
LEFT JOIN holiday_requests h ON h.requester_email = c.email
GROUP BY c.team ORDER BY c.team;
