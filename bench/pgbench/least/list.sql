-- The least SQL that answers GET /api/requests?limit=50 as a manager: one prepared SELECT of the
-- 50 rows the page shows, the manager's own and their reports' requests, pending first, newest
-- first. The manager is m<m>@bench.example, named by its number, so that no statement has to
-- look it up. No "also off", no paging row. Of the forms tried at 100k rows (this plain join and
-- one sort, one LATERAL scan per person, a LATERAL per person and status), this one was the
-- cheapest: each person has about 9 requests. bench/run.sh runs it with -M prepared. Variables
-- from -D: pending, nmgr.
\set m random(1, :nmgr)
SELECT h.request_id, h.employee_name, h.start_date, h.end_date, h.status, h.manager_note, h.requester_email,
       h.comment, h.created_at, h.decided_by, h.decided_at
FROM people p JOIN holiday_requests h ON h.requester_email = p.email
WHERE p.manager_email = 'm' || :m || '@bench.example' OR p.email = 'm' || :m || '@bench.example'
ORDER BY h.status <> :pending, h.request_id DESC LIMIT 50;
