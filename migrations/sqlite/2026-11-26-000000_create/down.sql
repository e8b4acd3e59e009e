DROP TABLE request_events;
DROP TABLE people;
DROP TABLE holiday_requests;
