-- See the Postgres migration of the same name. SQLite adds one column a statement, and a column
-- added with a default cannot carry a foreign key while foreign keys are enforced: the app
-- checks the type itself.
CREATE TABLE leave_types (
    leave_type_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    colour TEXT NOT NULL,
    deducted BOOLEAN NOT NULL,
    needs_approval BOOLEAN NOT NULL,
    private BOOLEAN NOT NULL,
    half_days BOOLEAN NOT NULL,
    overdraw TEXT NOT NULL CHECK (overdraw IN ('block', 'warn')),
    active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE UNIQUE INDEX leave_types_name ON leave_types (lower(name));
INSERT INTO leave_types (leave_type_id, name, colour, deducted, needs_approval, private, half_days, overdraw)
VALUES (1, 'Annual leave', '#2f6fdf', TRUE, TRUE, FALSE, TRUE, 'block'),
       (2, 'Sick leave', '#b4443c', FALSE, FALSE, TRUE, TRUE, 'warn'),
       (3, 'Unpaid leave', '#6b6f76', FALSE, TRUE, FALSE, TRUE, 'warn');

ALTER TABLE holiday_requests ADD COLUMN leave_type_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE holiday_requests ADD COLUMN start_part TEXT NOT NULL DEFAULT 'full' CHECK (start_part IN ('full', 'afternoon'));
ALTER TABLE holiday_requests ADD COLUMN end_part TEXT NOT NULL DEFAULT 'full' CHECK (end_part IN ('full', 'morning'));
ALTER TABLE holiday_requests ADD COLUMN days DOUBLE PRECISION;

-- Julian day 1721425.5 is Monday 1 January of the year 1.
UPDATE holiday_requests SET days =
    (5 * ((CAST(julianday(end_date) - 1721425.5 AS INTEGER) + 1) / 7) + min((CAST(julianday(end_date) - 1721425.5 AS INTEGER) + 1) % 7, 5))
  - (5 * (CAST(julianday(start_date) - 1721425.5 AS INTEGER) / 7) + min(CAST(julianday(start_date) - 1721425.5 AS INTEGER) % 7, 5))
WHERE end_date >= start_date AND start_date >= '0001-01-01';

CREATE TABLE request_days (
    request_id INTEGER NOT NULL REFERENCES holiday_requests (request_id) ON DELETE CASCADE,
    leave_year INTEGER NOT NULL,
    days DOUBLE PRECISION NOT NULL,
    carry_window_days DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (request_id, leave_year)
);
INSERT INTO request_days (request_id, leave_year, days, carry_window_days)
SELECT request_id, CAST(strftime('%Y', start_date) AS INTEGER), days, 0 FROM holiday_requests WHERE days IS NOT NULL;

ALTER TABLE people ADD COLUMN location TEXT;
ALTER TABLE people ADD COLUMN working_week TEXT NOT NULL DEFAULT 'Mon-Fri';
ALTER TABLE people ADD COLUMN timezone TEXT;
ALTER TABLE people ADD COLUMN allowance_days DOUBLE PRECISION;
ALTER TABLE people ADD COLUMN start_date DATE;

CREATE TABLE balance_adjustments (
    adjustment_id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL CHECK (email = lower(email)),
    leave_type_id INTEGER NOT NULL REFERENCES leave_types (leave_type_id),
    leave_year INTEGER NOT NULL,
    days DOUBLE PRECISION NOT NULL,
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX balance_adjustments_email ON balance_adjustments (email, leave_type_id, leave_year);

-- The company's own public holidays: a day added (an office closure) or a built-in day
-- removed, for everyone ('*'), a country ('GB') or a subdivision ('GB-ENG'). One change a
-- location and date.
CREATE TABLE public_holiday_changes (
    change_id INTEGER PRIMARY KEY AUTOINCREMENT,
    location TEXT NOT NULL,
    holiday_date DATE NOT NULL,
    name TEXT NOT NULL,
    half_day BOOLEAN NOT NULL,
    removed BOOLEAN NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (location, holiday_date)
);

CREATE TABLE policy_events (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_email TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT,
    created_at TIMESTAMP NOT NULL
);
