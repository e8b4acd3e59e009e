DROP TABLE policy_events;
DROP TABLE public_holiday_changes;
DROP TABLE balance_adjustments;
ALTER TABLE people DROP COLUMN location, DROP COLUMN working_week, DROP COLUMN timezone,
    DROP COLUMN allowance_days, DROP COLUMN start_date;
DROP TABLE request_days;
ALTER TABLE holiday_requests DROP COLUMN leave_type_id, DROP COLUMN start_part, DROP COLUMN end_part,
    DROP COLUMN days;
DROP TABLE leave_types;
