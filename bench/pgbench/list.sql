-- GET /api/requests?limit=50 as a manager (own and team requests): the statements the app runs, in order, with the same parameters (captured with
-- log_statement = 'all'; bench/py/check_sql.py compares them with the app's at every run).
-- bench/run.sh runs it with -M prepared, as Diesel prepares and caches them. The first
-- statement only reads this transaction's inputs (bench/sql/aux.sql); the app does not run it.
-- Variables from -D: pending, pa, nmgr.
\set m random(1, :nmgr)
\set lim 51
SELECT manager, own_and_team, np, rest_limit, nrows, requesters, managers, team, lo, hi FROM list WHERE m = :m \gset
SELECT 1;
-- whose requests: the manager's reports, plus the manager
SELECT "people"."email" FROM "people" WHERE ("people"."manager_email" = :manager);
-- pending run, newest first (limit + 1 rows)
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE (("holiday_requests"."requester_email" = ANY(:own_and_team)) AND ("holiday_requests"."status" = :pending)) ORDER BY "holiday_requests"."request_id" DESC LIMIT :lim;
-- the rest, when the pending ones do not fill the page
\if :np <= 50
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE (("holiday_requests"."requester_email" = ANY(:own_and_team)) AND ("holiday_requests"."status" != :pending)) ORDER BY "holiday_requests"."request_id" DESC LIMIT :rest_limit;
\endif
\if :nrows > 0
SELECT "people"."email", "people"."manager_email" FROM "people" WHERE ("people"."email" = ANY(:requesters));
SELECT "people"."email", "people"."display_name", "people"."manager_email" FROM "people" WHERE ("people"."manager_email" = ANY(:managers));
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE (((("holiday_requests"."requester_email" = ANY(:team)) AND ("holiday_requests"."status" = ANY(:pa))) AND ("holiday_requests"."start_date" <= :hi)) AND ("holiday_requests"."end_date" >= :lo));
\endif
