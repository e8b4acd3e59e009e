//! Who hears about a change, written into the outbox inside the change's own transaction; and
//! people's choices, and the admins' view of the outbox.

use super::App;
use crate::config::Settings;
use crate::db::DbConnection;
use crate::domain::leave::Days;
use crate::domain::notify::{About, Composed, Happened, Waiting, compose, compose_digest, working_days_before};
use crate::domain::{Actor, DateRange, Email, Invalid, Refusal};
use crate::error::AppError;
use crate::models::notification::{self as outbox, Channel, ForRecipient, NewNotification, Notification, Preferences};
use crate::models::{HolidayRequest, Profile};
use crate::views::notify::email_html;

/// The request a change is about, as its notifications describe it.
pub(super) fn about(
    request: &HolidayRequest,
    person: &str,
    leave_type: &str,
    private: bool,
    by: Option<&str>,
) -> About {
    About {
        request_id: request.request_id,
        person: person.to_owned(),
        range: request.range(),
        start_part: request.start_part,
        end_part: request.end_part,
        days: request.days.map_or_else(|| request.days(), Days::from_stored),
        leave_type: leave_type.to_owned(),
        private,
        comment: request.comment.clone(),
        note: request.manager_note.clone(),
        by: by.map(str::to_owned),
    }
}

/// Who approves someone's requests: their manager, or else the admins (never themselves).
pub(super) fn approvers(settings: &Settings, requester: &Email, manager: Option<&Email>) -> Vec<Email> {
    match manager {
        Some(m) if m != requester => vec![m.clone()],
        _ => settings.admins.iter().filter(|a| *a != requester).cloned().collect(),
    }
}

/// Writes the notifications of one change for its recipients: by email and in chat, as each
/// chose. Email goes to the recipient alone, who may see everything about the request (the
/// requester, their approvers); a chat channel is shared, so its message never shows a private
/// type or a comment. A channel that is not configured records its rows as unsent.
pub(super) fn enqueue(
    conn: &mut DbConnection,
    settings: &Settings,
    happened: Happened,
    about: &About,
    recipients: &[Email],
    now: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    if recipients.is_empty() {
        return Ok(());
    }
    let link = settings.notify.public_url.as_ref().map(|u| format!("{u}/requests/{}", about.request_id));
    let private = compose(happened, about, true, link.clone());
    let shared = compose(happened, about, false, link);
    let text = private.text();
    // The HTML part only where mail can be sent: a row recorded unsent is never sent.
    let html = settings.notify.smtp.is_some().then(|| email_html(&private));
    let give_up = chrono::Duration::from_std(settings.notify.give_up).unwrap_or(chrono::Duration::days(1));
    for recipient in recipients {
        let chat = format!("For {recipient}: {}", shared.chat());
        let r = ForRecipient {
            kind: happened.as_str(),
            request_id: about.request_id,
            recipient,
            email_subject: &private.subject,
            email_text: &text,
            email_html: html.as_deref(),
            email_deliverable: settings.notify.smtp.is_some(),
            chat_subject: &shared.subject,
            chat_text: &chat,
            chat_deliverable: settings.notify.webhook.is_some(),
        };
        outbox::enqueue_for(conn, &r, now, now + give_up)?;
    }
    Ok(())
}

/// A notification being written, owning its texts.
struct Letter {
    kind: String,
    request_id: Option<i32>,
    to: Email,
    channel: Channel,
    subject: String,
    text: String,
    html: Option<String>,
    deliverable: bool,
}

/// Notifications being written.
#[derive(Default)]
struct Letters(Vec<Letter>);

impl Letters {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        settings: &Settings,
        kind: &str,
        request_id: Option<i32>,
        to: &Email,
        p: Preferences,
        private: &Composed,
        shared: &Composed,
    ) {
        if p.email {
            let (text, html) = (private.text(), email_html(private));
            let deliverable = settings.notify.smtp.is_some();
            self.0.push(Letter {
                kind: kind.into(),
                request_id,
                to: to.clone(),
                channel: Channel::Email,
                subject: private.subject.clone(),
                text,
                html: Some(html),
                deliverable,
            });
        }
        if p.chat {
            let chat = format!("For {to}: {}", shared.chat());
            let deliverable = settings.notify.webhook.is_some();
            self.0.push(Letter {
                kind: kind.into(),
                request_id,
                to: to.clone(),
                channel: Channel::Chat,
                subject: shared.subject.clone(),
                text: chat,
                html: None,
                deliverable,
            });
        }
    }

    fn write(&self, conn: &mut DbConnection, settings: &Settings, now: chrono::NaiveDateTime) -> Result<(), AppError> {
        let rows: Vec<NewNotification> = self
            .0
            .iter()
            .map(|l| NewNotification {
                kind: &l.kind,
                request_id: l.request_id,
                recipient: &l.to,
                channel: l.channel,
                subject: &l.subject,
                body_text: &l.text,
                body_html: l.html.as_deref(),
                deliverable: l.deliverable,
            })
            .collect();
        let give_up = chrono::Duration::from_std(settings.notify.give_up).unwrap_or(chrono::Duration::days(1));
        outbox::enqueue(conn, &rows, now, now + give_up)?;
        Ok(())
    }
}

/// Today's digests: each approver with requests waiting on them for more than two working days
/// gets one, once a day however many instances run (the day's claim is written with it).
/// Returns how many were written.
pub fn daily_digests(conn: &mut DbConnection, settings: &Settings, now: crate::domain::Now) -> Result<usize, AppError> {
    let threshold = working_days_before(now.today, 2);
    let before = threshold.and_time(chrono::NaiveTime::MIN);
    let found = outbox::waiting_since(conn, before, 1000)?;
    let mut by_approver: Vec<(Email, Vec<(Waiting, bool)>)> = Vec::new();
    for row in found {
        let Some(requester) = &row.requester else { continue };
        let waiting = Waiting {
            request_id: row.request_id,
            person: row.person.clone(),
            leave_type: row.leave_type.clone().unwrap_or_else(|| "Leave".into()),
            range: DateRange { start: row.start_date, end: row.end_date },
            days: row.days.map_or_else(|| Days::whole(0), Days::from_stored),
            asked: row.created_at.date(),
        };
        for approver in approvers(settings, requester, row.manager.as_ref()) {
            let item = (waiting.clone(), row.private.unwrap_or(true));
            match by_approver.iter_mut().find(|(a, _)| *a == approver) {
                Some((_, items)) => items.push(item),
                None => by_approver.push((approver, vec![item])),
            }
        }
    }
    if by_approver.is_empty() {
        return Ok(0);
    }
    let refs: Vec<&Email> = by_approver.iter().map(|(a, _)| a).collect();
    let chosen = outbox::preferences_of(conn, &refs)?;
    let link = settings.notify.public_url.as_ref().map(|u| format!("{u}/queue"));
    let mut letters = Letters::default();
    let mut sent = 0;
    for (approver, items) in &by_approver {
        let p = chosen.iter().find(|(e, _)| e == approver).map(|(_, p)| *p).unwrap_or_default();
        if !p.digest || !outbox::claim_digest(conn, approver, now.today)? {
            continue;
        }
        let private = compose_digest(items, true, link.clone());
        let shared = compose_digest(items, false, link.clone());
        letters.add(settings, "digest", None, approver, p, &private, &shared);
        sent += 1;
    }
    letters.write(conn, settings, now.utc)?;
    Ok(sent)
}

/// The display name of someone, or their email.
pub(super) fn name_of(conn: &mut DbConnection, email: &Email) -> Result<String, AppError> {
    Ok(Profile::find(conn, email)?.map_or_else(|| email.to_string(), |p| p.display_name))
}

pub async fn my_preferences(app: &App, actor: &Actor) -> Result<Preferences, AppError> {
    let actor = actor.clone();
    app.db
        .read(move |conn| {
            let found = outbox::preferences_of(conn, &[&actor.email])?;
            Ok(found.into_iter().next().map(|(_, p)| p).unwrap_or_default())
        })
        .await
}

pub async fn save_preferences(app: &App, actor: &Actor, p: Preferences) -> Result<Preferences, AppError> {
    let actor = actor.clone();
    app.db
        .write(move |conn| {
            outbox::save_preferences(conn, &actor.email, p)?;
            Ok(p)
        })
        .await
}

fn admins_only(actor: &Actor) -> Result<(), AppError> {
    if actor.is_admin {
        return Ok(());
    }
    Err(Refusal::Forbidden("Only admins can see and retry notifications.".into()).into())
}

/// The newest notifications in a state (waiting, dead, sent or unsent), at most 100.
pub async fn list(app: &App, actor: &Actor, state: Option<&str>) -> Result<Vec<Notification>, AppError> {
    admins_only(actor)?;
    let state = match state.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("dead") {
        s @ ("waiting" | "dead" | "sent" | "unsent") => s.to_owned(),
        other => {
            return Err(
                Invalid::new("state", format!("'{other}' is not a state: use waiting, dead, sent or unsent.")).into()
            );
        }
    };
    app.db.read(move |conn| Ok(outbox::in_state(conn, &state, 100)?)).await
}

/// Sends a dead notification again, now, with a new give-up time.
pub async fn retry(app: &App, actor: &Actor, id: i32) -> Result<Notification, AppError> {
    admins_only(actor)?;
    let give_up = chrono::Duration::from_std(app.settings.notify.give_up).unwrap_or(chrono::Duration::days(1));
    let now = app.now().utc;
    let retried = app
        .db
        .write(move |conn| {
            let retried = outbox::retry(conn, id, now, now + give_up)?;
            match outbox::find(conn, id)? {
                Some(n) if retried => Ok(n),
                Some(n) => Err(AppError::Conflict(format!(
                    "Notification #{id} is {}: only dead or waiting ones can be retried.",
                    n.state
                ))),
                None => Err(AppError::NotFound(format!("There is no notification #{id}."))),
            }
        })
        .await?;
    app.wake.poke();
    Ok(retried)
}

/// The page where someone chooses their notifications.
pub async fn preferences_page(
    app: &App,
    actor: &Actor,
    switcher: bool,
) -> Result<(super::Frame, Preferences), AppError> {
    let actor = actor.clone();
    app.db
        .read(move |conn| {
            let frame = super::frame(conn, &actor, switcher)?;
            let found = outbox::preferences_of(conn, &[&actor.email])?;
            Ok((frame, found.into_iter().next().map(|(_, p)| p).unwrap_or_default()))
        })
        .await
}

/// The admins' page of the outbox in one state.
pub async fn outbox_page(
    app: &App,
    actor: &Actor,
    state: Option<&str>,
    switcher: bool,
) -> Result<(super::Frame, Vec<Notification>), AppError> {
    let rows = list(app, actor, state).await?;
    let actor = actor.clone();
    let frame = app.db.read(move |conn| super::frame(conn, &actor, switcher)).await?;
    Ok((frame, rows))
}
