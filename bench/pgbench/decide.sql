-- POST /api/requests/{id}/decision by the requester's manager, on a pending request nobody
-- else decides (bench/sql/pool.sql made them): the statements the app runs, in order, with the same parameters (captured with
-- log_statement = 'all'; bench/py/check_sql.py compares them with the app's at every run).
-- bench/run.sh runs it with -M prepared, as Diesel prepares and caches them. The first
-- statement only reads this transaction's inputs (bench/sql/aux.sql); the app does not run it.
-- Variables from -D: pending, pa, one, now, approved, note.
SELECT request_id AS id, manager, requester, requesters, managers, team, lo, hi FROM dec WHERE n = (SELECT nextval('dec_seq')) \gset
SELECT 1;
BEGIN;
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE ("holiday_requests"."request_id" = :id) LIMIT :one;
SELECT "people"."email", "people"."display_name", "people"."manager_email" FROM "people" WHERE ("people"."email" = :requester) LIMIT :one;
-- the conditional update: only a pending request changes
UPDATE "holiday_requests" SET "status" = :approved, "manager_note" = :note, "decided_by" = :manager, "decided_at" = :now WHERE (("holiday_requests"."request_id" = :id) AND ("holiday_requests"."status" = :pending));
INSERT INTO "request_events" ("request_id", "actor_email", "action", "note", "created_at") VALUES (:id, :manager, :approved, :note, :now);
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE ("holiday_requests"."request_id" = :id) LIMIT :one;
-- describe(), inside the transaction
SELECT "people"."email", "people"."manager_email" FROM "people" WHERE ("people"."email" = ANY(:requesters));
SELECT "people"."email", "people"."display_name", "people"."manager_email" FROM "people" WHERE ("people"."manager_email" = ANY(:managers));
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE (((("holiday_requests"."requester_email" = ANY(:team)) AND ("holiday_requests"."status" = ANY(:pa))) AND ("holiday_requests"."start_date" <= :hi)) AND ("holiday_requests"."end_date" >= :lo));
COMMIT;
