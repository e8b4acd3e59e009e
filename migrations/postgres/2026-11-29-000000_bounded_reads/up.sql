-- Statuses written by hand in another letter case ('approved') are read in any case; give the
-- rows of the four known states their canonical spelling once, so the lists' filters find them.
UPDATE holiday_requests SET status = 'Pending' WHERE lower(status) = 'pending' AND status <> 'Pending';
UPDATE holiday_requests SET status = 'Approved' WHERE lower(status) = 'approved' AND status <> 'Approved';
UPDATE holiday_requests SET status = 'Declined' WHERE lower(status) = 'declined' AND status <> 'Declined';
UPDATE holiday_requests SET status = 'Cancelled' WHERE lower(status) = 'cancelled' AND status <> 'Cancelled';

-- A page of one status walks each requester's rows of that status, newest first.
CREATE INDEX holiday_requests_requester_status ON holiday_requests (requester_email, status, request_id);
-- "Also off" and the overlap check look for a person's pending and approved requests by the
-- day they end: such requests never overlap each other, so this range is small whatever the
-- person's history.
CREATE INDEX holiday_requests_active_until ON holiday_requests (requester_email, end_date)
    WHERE status IN ('Pending', 'Approved');

-- The overlap rule, enforced by the database itself whatever the isolation level of whoever
-- writes. btree_gist (a trusted extension: the database's CREATE privilege is enough) lets a
-- GiST index compare the email for equality. It lives in a schema of its own, shared by every
-- app schema in the database, so that dropping one app schema never drops it from under another.
SELECT pg_advisory_xact_lock(hashtext('holidays-extensions'));
CREATE SCHEMA IF NOT EXISTS holidays_extensions;
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA holidays_extensions;
ALTER TABLE holiday_requests ADD CONSTRAINT holiday_requests_no_overlap
    EXCLUDE USING gist (requester_email WITH =, daterange(start_date, end_date, '[]') WITH &&)
    WHERE (status IN ('Pending', 'Approved'));
