-- The least SQL that answers GET /api/requests?limit=50 as the admin: one prepared SELECT of the
-- 50 rows the page shows, the newest pending requests (the seeded tables always have more than 50),
-- by the index on (status, request_id). No directory lookup, no "also off", no paging row.
-- bench/run.sh runs it with -M prepared. Variables from -D: pending.
SELECT h.request_id, h.employee_name, h.start_date, h.end_date, h.status, h.manager_note, h.requester_email,
       h.comment, h.created_at, h.decided_by, h.decided_at
FROM holiday_requests h WHERE h.status = :pending ORDER BY h.request_id DESC LIMIT 50;
