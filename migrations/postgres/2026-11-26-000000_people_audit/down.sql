DROP TABLE request_events;
DROP TABLE people;
DROP INDEX IF EXISTS holiday_requests_requester;
DROP INDEX IF EXISTS holiday_requests_status_id;
ALTER TABLE holiday_requests
    DROP COLUMN decided_at,
    DROP COLUMN decided_by,
    DROP COLUMN created_at,
    DROP COLUMN comment,
    DROP COLUMN requester_email;
