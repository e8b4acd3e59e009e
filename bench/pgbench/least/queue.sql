-- The least SQL that answers GET /queue as a manager: one prepared SELECT of the 20 rows the page
-- shows, the newest pending requests of the manager's reports, as one short index scan per report
-- (index on (requester_email, status, request_id)). The manager is m<m>@bench.example, named by
-- its number, so that no statement has to look it up. No count, no "also off", no paging row.
-- (At 100k rows this was cheaper than a plain join with one sort.) bench/run.sh runs it with
-- -M prepared. Variables from -D: pending, nmgr.
\set m random(1, :nmgr)
SELECT r.* FROM people p CROSS JOIN LATERAL (
    SELECT h.request_id, h.employee_name, h.start_date, h.end_date, h.status, h.manager_note, h.requester_email,
           h.comment, h.created_at, h.decided_by, h.decided_at
    FROM holiday_requests h WHERE h.requester_email = p.email AND h.status = :pending
    ORDER BY h.request_id DESC LIMIT 20) r
WHERE p.manager_email = 'm' || :m || '@bench.example'
ORDER BY r.request_id DESC LIMIT 20;
