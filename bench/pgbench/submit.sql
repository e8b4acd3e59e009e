-- POST /api/requests as an employee, for a week nobody of theirs has asked for: the statements the app runs, in order, with the same parameters (captured with
-- log_statement = 'all'; bench/py/check_sql.py compares them with the app's at every run).
-- bench/run.sh runs it with -M prepared, as Diesel prepares and caches them. The first
-- statement only reads this transaction's inputs (bench/sql/aux.sql); the app does not run it.
-- Variables from -D: pending, pa, one, now, comment, submitted, base, nreq.
SELECT e.email, e.name, e.lockkey, e.requesters, e.managers, e.team, CAST(:base AS date) + (q.n / :nreq)::int * 7 AS lo, CAST(:base AS date) + (q.n / :nreq)::int * 7 + 1 AS hi FROM (SELECT nextval('sub_seq') AS n) q JOIN emp e ON e.k = q.n % :nreq \gset
SELECT 1;
BEGIN;
-- two submissions by one person take turns
SELECT pg_advisory_xact_lock(hashtext(:lockkey));
-- overlap check
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE (((("holiday_requests"."requester_email" = :email) AND ("holiday_requests"."status" = ANY(:pa))) AND ("holiday_requests"."start_date" <= :hi)) AND ("holiday_requests"."end_date" >= :lo));
SELECT "people"."email", "people"."display_name", "people"."manager_email" FROM "people" WHERE ("people"."email" = :email) LIMIT :one;
INSERT INTO "holiday_requests" ("employee_name", "requester_email", "start_date", "end_date", "status", "comment", "created_at") VALUES (:name, :email, :lo, :hi, :pending, :comment, :now) RETURNING "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" \gset ins_
INSERT INTO "request_events" ("request_id", "actor_email", "action", "note", "created_at") VALUES (:ins_request_id, :email, :submitted, :comment, :now);
-- describe(), inside the transaction
SELECT "people"."email", "people"."manager_email" FROM "people" WHERE ("people"."email" = ANY(:requesters));
SELECT "people"."email", "people"."display_name", "people"."manager_email" FROM "people" WHERE ("people"."manager_email" = ANY(:managers));
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE (((("holiday_requests"."requester_email" = ANY(:team)) AND ("holiday_requests"."status" = ANY(:pa))) AND ("holiday_requests"."start_date" <= :hi)) AND ("holiday_requests"."end_date" >= :lo));
COMMIT;
