"""The daily email: once a day per user, in the user's language, new items marked, failures
recorded and sent on the next run; the command and its dry run."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import override_settings

from parklink.accounts.models import User
from parklink.reminders import services
from parklink.reminders.models import Digest, Status
from tests.reminders.conftest import KIND, Source

pytestmark = pytest.mark.django_db
DAY = date(2025, 6, 2)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("smtp server down")


def test_one_email_per_user_and_never_two_the_same_day(
    source: Source, people: dict[str, User]
) -> None:
    amy, bo = people["amy"], people["bo"]
    source.items = [{"key": 1, "to": [amy.pk, bo.pk]}, {"key": 2, "to": [amy.pk]}]
    report = services.send_daily(DAY)
    assert (report.emails_sent, report.items) == (2, 2)
    by_user = {m.to[0]: m for m in mail.outbox}
    assert set(by_user) == {"amy@example.org", "bo@example.org"}
    assert "2 项提醒" in by_user["amy@example.org"].subject
    assert "2025-06-02" in by_user["amy@example.org"].subject
    body = by_user["amy@example.org"].body
    assert "事项1" in body and "事项2" in body and "http://127.0.0.1:8000/projects/2/" in body
    again = services.send_daily(DAY)
    assert (again.emails_sent, again.emails_already) == (0, 2)
    assert len(mail.outbox) == 2
    assert Digest.objects.filter(day=DAY, status=Status.SENT).count() == 2


def test_the_digest_is_worded_in_the_users_language(
    source: Source, people: dict[str, User]
) -> None:
    amy = people["amy"]
    services.save_preference(amy, muted=[], email_digest=True, language="en")
    source.items = [{"key": 1, "to": [amy.pk, people["bo"].pk]}]
    services.send_daily(DAY)
    by_user = {m.to[0]: m.body for m in mail.outbox}
    assert "[en] 事项1" in by_user["amy@example.org"]
    assert "[zh-hans] 事项1" in by_user["bo@example.org"]


def test_new_items_are_marked_and_settled_ones_are_gone(
    source: Source, people: dict[str, User]
) -> None:
    amy = people["amy"]
    source.items = [{"key": 1, "to": [amy.pk]}, {"key": 3, "to": [amy.pk]}]
    services.send_daily(date(2025, 6, 1))
    source.items = [{"key": 1, "to": [amy.pk]}, {"key": 2, "to": [amy.pk]}]
    services.send_daily(DAY)
    second = mail.outbox[-1]
    assert "1 项新增" in second.subject
    assert "[新] [zh-hans] 事项2" in second.body
    assert "[新] [zh-hans] 事项1" not in second.body and "事项1" in second.body
    assert "事项3" not in second.body


def test_muted_kinds_users_without_email_and_opted_out_users_get_nothing(
    source: Source, people: dict[str, User]
) -> None:
    amy, bo = people["amy"], people["bo"]
    services.save_preference(amy, muted=[KIND], email_digest=True, language="zh-hans")
    services.save_preference(bo, muted=[], email_digest=False, language="zh-hans")
    source.items = [{"key": 1, "to": [amy.pk, bo.pk, people["admin"].pk]}]
    assert services.send_daily(DAY).emails_sent == 0
    assert mail.outbox == []


def test_a_failed_email_is_recorded_and_sent_on_the_next_run(
    source: Source, people: dict[str, User]
) -> None:
    source.items = [{"key": 1, "to": [people["amy"].pk]}]
    with override_settings(EMAIL_BACKEND="tests.reminders.test_digest.FailingBackend"):
        report = services.send_daily(DAY)
    assert report.emails_failed == 1
    failed = Digest.objects.get()
    assert failed.status == Status.FAILED and "smtp server down" in failed.error
    assert services.send_daily(DAY).emails_sent == 1
    sent = Digest.objects.get()
    assert (sent.status, sent.attempts) == (Status.SENT, 2)


def test_the_command_sends_and_its_dry_run_records_nothing(
    source: Source, people: dict[str, User]
) -> None:
    source.items = [{"key": 1, "to": [people["amy"].pk]}]
    out = StringIO()
    call_command("reminders", "send", "--date", "2025-06-02", "--dry-run", stdout=out)
    assert "amy@example.org" in out.getvalue() and "dry run" in out.getvalue()
    assert mail.outbox == [] and not Digest.objects.exists()
    out = StringIO()
    call_command("reminders", "send", "--date", "2025-06-02", stdout=out)
    assert "email sent 1" in out.getvalue() and len(mail.outbox) == 1
    assert source.days[-1] == DAY


def test_the_task_sends_the_same_digests(source: Source, people: dict[str, User]) -> None:
    from parklink.reminders.tasks import send_daily

    source.items = [{"key": 1, "to": [people["amy"].pk]}]
    result = send_daily.enqueue("2025-06-02")
    assert result.return_value["emails_sent"] == 1
    assert len(mail.outbox) == 1
