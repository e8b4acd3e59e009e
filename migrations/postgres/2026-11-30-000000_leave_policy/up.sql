-- Leave policy: types of leave, where people work, how many days each request takes, and the
-- corrections admins make to balances. Additive: every existing request becomes Annual leave,
-- and a walkthrough tool that inserts rows without these columns keeps working.

CREATE TABLE leave_types (
    leave_type_id SERIAL PRIMARY KEY,
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
SELECT setval(pg_get_serial_sequence('leave_types', 'leave_type_id'), 3);

-- `days` is what the request takes, counted when it was made (NULL on rows other tools wrote:
-- the app then shows their Monday-to-Friday count and no balance counts them).
ALTER TABLE holiday_requests
    ADD COLUMN leave_type_id INTEGER NOT NULL DEFAULT 1 REFERENCES leave_types (leave_type_id),
    ADD COLUMN start_part TEXT NOT NULL DEFAULT 'full' CHECK (start_part IN ('full', 'afternoon')),
    ADD COLUMN end_part TEXT NOT NULL DEFAULT 'full' CHECK (end_part IN ('full', 'morning')),
    ADD COLUMN days DOUBLE PRECISION;

-- Existing requests: their Monday-to-Friday days, counted without walking them. Weekdays in
-- [a, b] = w(b + 1) - w(a), where w(n) counts the weekdays in the n days from Monday 1 January
-- of the year 1.
UPDATE holiday_requests SET days =
    (5 * ((end_date + 1 - DATE '0001-01-01') / 7) + least((end_date + 1 - DATE '0001-01-01') % 7, 5))
  - (5 * ((start_date - DATE '0001-01-01') / 7) + least((start_date - DATE '0001-01-01') % 7, 5))
WHERE end_date >= start_date AND start_date >= DATE '0001-01-01';

-- A request's days per leave year (two rows for a request across the start of a leave year),
-- and how many of them fall while carried-over days may still be used: what balances add up.
CREATE TABLE request_days (
    request_id INTEGER NOT NULL REFERENCES holiday_requests (request_id) ON DELETE CASCADE,
    leave_year INTEGER NOT NULL,
    days DOUBLE PRECISION NOT NULL,
    carry_window_days DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (request_id, leave_year)
);
-- Requests made before leave policy count in the calendar year they start in.
INSERT INTO request_days (request_id, leave_year, days, carry_window_days)
SELECT request_id, extract(year FROM start_date)::integer, days, 0 FROM holiday_requests WHERE days IS NOT NULL;

-- Where and how people work. NULL location: no public holidays; NULL allowance: the company's.
ALTER TABLE people
    ADD COLUMN location TEXT,
    ADD COLUMN working_week TEXT NOT NULL DEFAULT 'Mon-Fri',
    ADD COLUMN timezone TEXT,
    ADD COLUMN allowance_days DOUBLE PRECISION,
    ADD COLUMN start_date DATE;

-- Corrections to a balance, each its own audit record.
CREATE TABLE balance_adjustments (
    adjustment_id SERIAL PRIMARY KEY,
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
    change_id SERIAL PRIMARY KEY,
    location TEXT NOT NULL,
    holiday_date DATE NOT NULL,
    name TEXT NOT NULL,
    half_day BOOLEAN NOT NULL,
    removed BOOLEAN NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (location, holiday_date)
);

-- What admins change in the policy (types, people, public holidays): who, what, when.
CREATE TABLE policy_events (
    event_id SERIAL PRIMARY KEY,
    actor_email TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT,
    created_at TIMESTAMP NOT NULL
);
