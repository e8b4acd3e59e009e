-- What if: queue.sql with the page as one small index scan per report (LATERAL over the
-- array), a plan Postgres keeps for any statistics, also as the generic plan of a prepared
-- statement. Everything else as in queue.sql. Variables from -D: pending, pa, one, nmgr.
\set m random(1, :nmgr)
\set lim 21
SELECT manager, reports, nrows, requesters, managers, team, lo, hi FROM queue WHERE m = :m \gset
-- r2d2 checks the connection on every check-out
SELECT 1;
-- chrome: who is asking, do they manage anyone, how many requests wait for them
SELECT "people"."email", "people"."display_name", "people"."manager_email" FROM "people" WHERE ("people"."email" = :manager) LIMIT :one;
SELECT EXISTS (SELECT "people"."email", "people"."display_name", "people"."manager_email" FROM "people" WHERE ("people"."manager_email" = :manager));
SELECT "people"."email" FROM "people" WHERE ("people"."manager_email" = :manager);
SELECT COUNT(*) FROM "holiday_requests" WHERE ((("holiday_requests"."requester_email" = ANY(:reports)) AND ("holiday_requests"."status" = :pending)) AND (("holiday_requests"."requester_email" IS NULL) OR ("holiday_requests"."requester_email" != :manager)));
-- the page: the reports' pending requests, newest first (the reports are looked up again)
SELECT "people"."email" FROM "people" WHERE ("people"."manager_email" = :manager);
SELECT r."request_id", r."employee_name", r."start_date", r."end_date", r."status", r."manager_note", r."requester_email", r."comment", r."created_at", r."decided_by", r."decided_at" FROM unnest(CAST(:reports AS text[])) AS p(email) CROSS JOIN LATERAL (SELECT h."request_id", h."employee_name", h."start_date", h."end_date", h."status", h."manager_note", h."requester_email", h."comment", h."created_at", h."decided_by", h."decided_at" FROM "holiday_requests" h WHERE h."requester_email" = p.email AND h."status" = :pending ORDER BY h."request_id" DESC LIMIT :lim) r ORDER BY r."request_id" DESC LIMIT :lim;
-- describe(): managers, teams and who else is off (skipped by the app for an empty page)
\if :nrows > 0
SELECT "people"."email", "people"."manager_email" FROM "people" WHERE ("people"."email" = ANY(:requesters));
SELECT "people"."email", "people"."display_name", "people"."manager_email" FROM "people" WHERE ("people"."manager_email" = ANY(:managers));
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE (((("holiday_requests"."requester_email" = ANY(:team)) AND ("holiday_requests"."status" = ANY(:pa))) AND ("holiday_requests"."start_date" <= :hi)) AND ("holiday_requests"."end_date" >= :lo));
\endif
-- the live-update poller starts after the newest id
SELECT max("holiday_requests"."request_id") FROM "holiday_requests" LIMIT :one;
