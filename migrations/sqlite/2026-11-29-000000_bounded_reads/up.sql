-- See the Postgres migration of the same name. SQLite serialises writers, so the overlap rule
-- needs no constraint here.
UPDATE holiday_requests SET status = 'Pending' WHERE lower(status) = 'pending' AND status <> 'Pending';
UPDATE holiday_requests SET status = 'Approved' WHERE lower(status) = 'approved' AND status <> 'Approved';
UPDATE holiday_requests SET status = 'Declined' WHERE lower(status) = 'declined' AND status <> 'Declined';
UPDATE holiday_requests SET status = 'Cancelled' WHERE lower(status) = 'cancelled' AND status <> 'Cancelled';
CREATE INDEX holiday_requests_requester_status ON holiday_requests (requester_email, status, request_id);
CREATE INDEX holiday_requests_active_until ON holiday_requests (requester_email, end_date)
    WHERE status IN ('Pending', 'Approved');
