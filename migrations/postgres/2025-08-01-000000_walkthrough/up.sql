-- Exactly the table the Databricks walkthrough creates by hand, so a database made by following
-- it keeps its rows. Unqualified names land in the app's own schema (the connection's
-- search_path), `holidays` unless HOLIDAYS_PG_SCHEMA says otherwise.
CREATE TABLE IF NOT EXISTS holiday_requests (
    request_id SERIAL PRIMARY KEY,
    employee_name VARCHAR(255) NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    status VARCHAR(50) NOT NULL,
    manager_note TEXT
);
