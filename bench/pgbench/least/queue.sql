-- The least SQL that answers GET /queue as a manager: one prepared SELECT of the 20 rows the page
-- shows, the newest pending requests of the manager's reports, as one short index scan per report
-- (index on (requester_email, status, request_id)). The manager is m<m>@bench.example, named by
-- its number, so that no statement has to look it up. No count, no "also off", no paging row.
-- (At 100k rows this was cheaper than a plain join with one sort.) Since leave policy, the page
-- also shows each requester's balance: the second SELECT is the least that reads it, the team's
-- pending and approved days per leave year from the first year balances read (request_days).
-- bench/run.sh runs it with -M prepared. Variables from -D: pending, nmgr, first_day.
\set m random(1, :nmgr)
SELECT r.* FROM people p CROSS JOIN LATERAL (
    SELECT h.request_id, h.employee_name, h.start_date, h.end_date, h.status, h.manager_note, h.requester_email,
           h.comment, h.created_at, h.decided_by, h.decided_at
    FROM holiday_requests h WHERE h.requester_email = p.email AND h.status = :pending
    ORDER BY h.request_id DESC LIMIT 20) r
WHERE p.manager_email = 'm' || :m || '@bench.example'
ORDER BY r.request_id DESC LIMIT 20;
SELECT h.requester_email, h.leave_type_id, d.leave_year, h.status, sum(d.days), sum(d.carry_window_days)
FROM people p JOIN holiday_requests h ON h.requester_email = p.email
JOIN request_days d ON d.request_id = h.request_id
WHERE p.manager_email = 'm' || :m || '@bench.example' AND h.status IN ('Pending', 'Approved')
  AND h.end_date >= :first_day
GROUP BY 1, 2, 3, 4;
