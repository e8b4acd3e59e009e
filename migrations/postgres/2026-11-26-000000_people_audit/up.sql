-- Who asked, when, and who decided. Walkthrough rows keep NULL here: only admins decide them.
ALTER TABLE holiday_requests
    ADD COLUMN IF NOT EXISTS requester_email TEXT,
    ADD COLUMN IF NOT EXISTS comment TEXT,
    ADD COLUMN IF NOT EXISTS created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    ADD COLUMN IF NOT EXISTS decided_by TEXT,
    ADD COLUMN IF NOT EXISTS decided_at TIMESTAMP;

-- The queue walks pending requests newest first; "my requests" and the overlap check walk one
-- person's requests.
CREATE INDEX IF NOT EXISTS holiday_requests_status_id ON holiday_requests (status, request_id);
CREATE INDEX IF NOT EXISTS holiday_requests_requester ON holiday_requests (requester_email, request_id);

-- Emails are stored lower-cased, which makes them unique regardless of case.
CREATE TABLE people (
    email TEXT PRIMARY KEY CHECK (email = lower(email)),
    display_name TEXT NOT NULL,
    manager_email TEXT CHECK (manager_email = lower(manager_email))
);
CREATE INDEX people_manager ON people (manager_email);

CREATE TABLE request_events (
    event_id SERIAL PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES holiday_requests (request_id) ON DELETE CASCADE,
    actor_email TEXT NOT NULL,
    action VARCHAR(20) NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX request_events_request ON request_events (request_id, event_id);
