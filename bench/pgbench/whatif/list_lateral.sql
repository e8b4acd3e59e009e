-- What if: list.sql with each run as one small index scan per person (LATERAL over the
-- array), a plan Postgres keeps for any statistics, also as the generic plan of a prepared
-- statement. Everything else as in list.sql. Variables from -D: pending, pa, nmgr.
\set m random(1, :nmgr)
\set lim 51
SELECT manager, own_and_team, np, rest_limit, nrows, requesters, managers, team, lo, hi FROM list WHERE m = :m \gset
SELECT 1;
-- whose requests: the manager's reports, plus the manager
SELECT "people"."email" FROM "people" WHERE ("people"."manager_email" = :manager);
-- pending run, newest first (limit + 1 rows)
SELECT r."request_id", r."employee_name", r."start_date", r."end_date", r."status", r."manager_note", r."requester_email", r."comment", r."created_at", r."decided_by", r."decided_at" FROM unnest(CAST(:own_and_team AS text[])) AS p(email) CROSS JOIN LATERAL (SELECT h."request_id", h."employee_name", h."start_date", h."end_date", h."status", h."manager_note", h."requester_email", h."comment", h."created_at", h."decided_by", h."decided_at" FROM "holiday_requests" h WHERE h."requester_email" = p.email AND h."status" = :pending ORDER BY h."request_id" DESC LIMIT :lim) r ORDER BY r."request_id" DESC LIMIT :lim;
-- the rest, when the pending ones do not fill the page
\if :np <= 50
SELECT r."request_id", r."employee_name", r."start_date", r."end_date", r."status", r."manager_note", r."requester_email", r."comment", r."created_at", r."decided_by", r."decided_at" FROM unnest(CAST(:own_and_team AS text[])) AS p(email) CROSS JOIN LATERAL (SELECT h."request_id", h."employee_name", h."start_date", h."end_date", h."status", h."manager_note", h."requester_email", h."comment", h."created_at", h."decided_by", h."decided_at" FROM "holiday_requests" h WHERE h."requester_email" = p.email AND h."status" != :pending ORDER BY h."request_id" DESC LIMIT :rest_limit) r ORDER BY r."request_id" DESC LIMIT :rest_limit;
\endif
\if :nrows > 0
SELECT "people"."email", "people"."manager_email" FROM "people" WHERE ("people"."email" = ANY(:requesters));
SELECT "people"."email", "people"."display_name", "people"."manager_email" FROM "people" WHERE ("people"."manager_email" = ANY(:managers));
SELECT "holiday_requests"."request_id", "holiday_requests"."employee_name", "holiday_requests"."start_date", "holiday_requests"."end_date", "holiday_requests"."status", "holiday_requests"."manager_note", "holiday_requests"."requester_email", "holiday_requests"."comment", "holiday_requests"."created_at", "holiday_requests"."decided_by", "holiday_requests"."decided_at" FROM "holiday_requests" WHERE (((("holiday_requests"."requester_email" = ANY(:team)) AND ("holiday_requests"."status" = ANY(:pa))) AND ("holiday_requests"."start_date" <= :hi)) AND ("holiday_requests"."end_date" >= :lo));
\endif
