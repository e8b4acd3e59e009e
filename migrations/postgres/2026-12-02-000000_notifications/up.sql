-- The transactional outbox: each notification is written in the same transaction as the change
-- it reports, one row per recipient and channel, and delivered afterwards by the app's worker.
-- `state`: waiting (to deliver, now or at next_attempt_at), sent, dead (gave up or refused),
-- unsent (its channel is not configured: recorded, never sent). A worker claims a row by
-- setting leased_until; a claim that outlives its worker expires and another takes the row.
CREATE TABLE notifications (
    notification_id SERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    request_id INTEGER,
    recipient TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'chat')),
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'sent', 'dead', 'unsent')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    give_up_at TIMESTAMP NOT NULL,
    leased_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE state = 'waiting';
CREATE INDEX notifications_state ON notifications (state, notification_id);

-- Each person's choices; no row: everything on.
CREATE TABLE notification_preferences (
    email TEXT PRIMARY KEY CHECK (email = lower(email)),
    by_email BOOLEAN NOT NULL,
    by_chat BOOLEAN NOT NULL,
    digest BOOLEAN NOT NULL
);

-- The approvers' daily digest: one row per approver and day, claimed in the transaction that
-- writes the digest, so several instances send it once.
CREATE TABLE notification_digests (
    approver TEXT NOT NULL,
    day DATE NOT NULL,
    PRIMARY KEY (approver, day)
);
