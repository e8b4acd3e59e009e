-- The plans of the read queries that matter, as the app runs them (prepared statements, the
-- requesters resolved first and passed as an array), for manager :m.  run.sh saves this per size
-- in results/<run>/raw/explain-<size>.txt.
--
--   psql -v schema=bench_1m -v m=m777@bench.example -f bench/sql/explain.sql
--
-- Postgres plans a prepared statement's first five executions with the parameters' values
-- (custom plans) and may then switch to one plan for any value (the generic plan): both are shown.
\set ON_ERROR_STOP on
SET search_path TO :"schema";
SELECT array_agg(email) AS team FROM people WHERE manager_email = :'m' \gset
SELECT array_append(:'team'::text[], :'m') AS own_and_team \gset
PREPARE page_run(text[], text, int8) AS
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE (("holiday_requests"."requester_email" = ANY($1)) AND ("holiday_requests"."status" = $2)) ORDER BY "holiday_requests"."request_id" DESC LIMIT $3;
PREPARE rest_run(text[], text, int8) AS
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE (("holiday_requests"."requester_email" = ANY($1)) AND ("holiday_requests"."status" != $2)) ORDER BY "holiday_requests"."request_id" DESC LIMIT $3;
PREPARE page_run_lateral(text[], text, int8) AS
SELECT r.* FROM unnest($1) AS p(email) CROSS JOIN LATERAL (
    SELECT h.* FROM "holiday_requests" h WHERE h."requester_email" = p.email AND h."status" = $2
    ORDER BY h."request_id" DESC LIMIT $3) r
ORDER BY r."request_id" DESC LIMIT $3;
PREPARE rest_run_lateral(text[], text, int8) AS
SELECT r.* FROM unnest($1) AS p(email) CROSS JOIN LATERAL (
    SELECT h.* FROM "holiday_requests" h WHERE h."requester_email" = p.email AND h."status" != $2
    ORDER BY h."request_id" DESC LIMIT $3) r
ORDER BY r."request_id" DESC LIMIT $3;
-- warm the cache, so that the timings are of the plans, not of the disk
SELECT count(*) FROM holiday_requests;

SET plan_cache_mode = force_custom_plan;
\echo '=== queue page (team, pending, 21 rows), custom plan'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE page_run(:'team', 'Pending', 21);
\echo '=== JSON list, the rest run (own and team, not pending, 51 rows), custom plan'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE rest_run(:'own_and_team', 'Pending', 51);
SET plan_cache_mode = force_generic_plan;
\echo '=== queue page, generic plan'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE page_run(:'team', 'Pending', 21);
\echo '=== JSON list, the pending run, generic plan'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE page_run(:'own_and_team', 'Pending', 51);
\echo '=== JSON list, the rest run, generic plan'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE rest_run(:'own_and_team', 'Pending', 51);
\echo '=== proposed: queue page as one index scan per person (LATERAL), generic plan'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE page_run_lateral(:'team', 'Pending', 21);
\echo '=== proposed: JSON list rest run, LATERAL, generic plan'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE rest_run_lateral(:'own_and_team', 'Pending', 51);
