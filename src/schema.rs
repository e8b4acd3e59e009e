// The tables as Diesel sees them, on both backends. Timestamps are UTC without a zone, because
// `Timestamp` is the type every backend shares.

diesel::table! {
    holiday_requests (request_id) {
        request_id -> Integer,
        employee_name -> Text,
        start_date -> Date,
        end_date -> Date,
        status -> Text,
        manager_note -> Nullable<Text>,
        requester_email -> Nullable<Text>,
        comment -> Nullable<Text>,
        created_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    people (email) {
        email -> Text,
        display_name -> Text,
        manager_email -> Nullable<Text>,
    }
}

diesel::table! {
    request_events (event_id) {
        event_id -> Integer,
        request_id -> Integer,
        actor_email -> Text,
        action -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(request_events -> holiday_requests (request_id));
diesel::allow_tables_to_appear_in_same_query!(holiday_requests, people, request_events);
