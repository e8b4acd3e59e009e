DROP TABLE notification_digests;
DROP TABLE notification_preferences;
DROP TABLE notifications;
