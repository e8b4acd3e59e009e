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
        leave_type_id -> Integer,
        start_part -> Text,
        end_part -> Text,
        days -> Nullable<Double>,
        coverage -> Nullable<Text>,
    }
}

diesel::table! {
    people (email) {
        email -> Text,
        display_name -> Text,
        manager_email -> Nullable<Text>,
        location -> Nullable<Text>,
        working_week -> Text,
        timezone -> Nullable<Text>,
        allowance_days -> Nullable<Double>,
        start_date -> Nullable<Date>,
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

diesel::table! {
    leave_types (leave_type_id) {
        leave_type_id -> Integer,
        name -> Text,
        colour -> Text,
        deducted -> Bool,
        needs_approval -> Bool,
        private -> Bool,
        half_days -> Bool,
        overdraw -> Text,
        active -> Bool,
    }
}

diesel::table! {
    request_days (request_id, leave_year) {
        request_id -> Integer,
        leave_year -> Integer,
        days -> Double,
        carry_window_days -> Double,
    }
}

diesel::table! {
    balance_adjustments (adjustment_id) {
        adjustment_id -> Integer,
        email -> Text,
        leave_type_id -> Integer,
        leave_year -> Integer,
        days -> Double,
        reason -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    policy_events (event_id) {
        event_id -> Integer,
        actor_email -> Text,
        action -> Text,
        subject -> Text,
        detail -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    public_holiday_changes (change_id) {
        change_id -> Integer,
        location -> Text,
        holiday_date -> Date,
        name -> Text,
        half_day -> Bool,
        removed -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    coverage_rules (rule_id) {
        rule_id -> Integer,
        team -> Nullable<Text>,
        kind -> Text,
        max_off -> Nullable<Integer>,
        start_date -> Nullable<Date>,
        end_date -> Nullable<Date>,
        name -> Nullable<Text>,
        mode -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notifications (notification_id) {
        notification_id -> Integer,
        kind -> Text,
        request_id -> Nullable<Integer>,
        recipient -> Text,
        channel -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        give_up_at -> Timestamp,
        leased_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notification_preferences (email) {
        email -> Text,
        by_email -> Bool,
        by_chat -> Bool,
        digest -> Bool,
    }
}

diesel::table! {
    notification_digests (approver, day) {
        approver -> Text,
        day -> Date,
    }
}

diesel::joinable!(request_events -> holiday_requests (request_id));
diesel::joinable!(request_days -> holiday_requests (request_id));
diesel::allow_tables_to_appear_in_same_query!(
    holiday_requests,
    people,
    request_events,
    leave_types,
    request_days,
    balance_adjustments,
    policy_events,
    public_holiday_changes,
    coverage_rules,
    notifications,
    notification_preferences,
    notification_digests
);
