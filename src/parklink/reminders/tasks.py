"""The daily digest as a background task (django-tasks), for a scheduler that queues it."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from parklink.reminders import services


@task()
def send_daily(day: str | None = None) -> dict[str, int]:
    """Send the day's digests (`day` as YYYY-MM-DD, default today); the counts it sent."""
    report = services.send_daily(date.fromisoformat(day) if day else None)
    return {
        "items": report.items,
        "emails_sent": report.emails_sent,
        "emails_failed": report.emails_failed,
        "robots_sent": report.robots_sent,
        "robots_failed": report.robots_failed,
    }
