-- GET /queue as a manager: the statements the app runs, in order, with the same parameters (captured with
-- log_statement = 'all'; bench/py/check_sql.py compares them with the app's at every run).
-- bench/run.sh runs it with -M prepared, as Diesel prepares and caches them. The first
-- statement only reads this transaction's inputs (bench/sql/aux.sql); the app does not run it.
-- Variables from -D: pending, pa, one, nmgr.
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
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE (("holiday_requests"."requester_email" = ANY(:reports)) AND ("holiday_requests"."status" = :pending)) ORDER BY "holiday_requests"."request_id" DESC LIMIT :lim;
-- describe(): managers, teams and who else is off (skipped by the app for an empty page)
\if :nrows > 0
SELECT "people"."email", "people"."manager_email" FROM "people" WHERE ("people"."email" = ANY(:requesters));
SELECT "people"."email", "people"."display_name", "people"."manager_email" FROM "people" WHERE ("people"."manager_email" = ANY(:managers));
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE (((("holiday_requests"."requester_email" = ANY(:team)) AND ("holiday_requests"."status" = ANY(:pa))) AND ("holiday_requests"."start_date" <= :hi)) AND ("holiday_requests"."end_date" >= :lo));
\endif
-- the live-update poller starts after the newest id
SELECT max("holiday_requests"."request_id") FROM "holiday_requests" LIMIT :one;
