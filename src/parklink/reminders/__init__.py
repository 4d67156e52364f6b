"""Reminders: what is due or overdue, gathered from the sources the apps register, sent by
email and group-robot webhooks as a daily digest, and muted per kind by each user."""
