-- The same tables as the Postgres migrations, in one step: an SQLite database is always the
-- app's own, so there is no walkthrough table to adopt.
CREATE TABLE holiday_requests (
    request_id INTEGER PRIMARY KEY AUTOINCREMENT,
    employee_name VARCHAR(255) NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    status VARCHAR(50) NOT NULL,
    manager_note TEXT,
    requester_email TEXT,
    comment TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    decided_by TEXT,
    decided_at TIMESTAMP
);
CREATE INDEX holiday_requests_status_id ON holiday_requests (status, request_id);
CREATE INDEX holiday_requests_requester ON holiday_requests (requester_email, request_id);

CREATE TABLE people (
    email TEXT PRIMARY KEY NOT NULL CHECK (email = lower(email)),
    display_name TEXT NOT NULL,
    manager_email TEXT CHECK (manager_email = lower(manager_email))
);
CREATE INDEX people_manager ON people (manager_email);

CREATE TABLE request_events (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES holiday_requests (request_id) ON DELETE CASCADE,
    actor_email TEXT NOT NULL,
    action VARCHAR(20) NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX request_events_request ON request_events (request_id, event_id);
