"""`parklink reminders send [--date D] [--dry-run] [--queue]`: the day's reminder digests.

Run once a day by a scheduler (docs/deploy.md, "Reminders"): every user gets one email of
their items (never two for the same day), every organisation's group robots one message.
Running it again the same day sends only what failed before. `--dry-run` prints what would be
sent and records nothing; `--queue` hands the work to the task worker instead.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.reminders import services, tasks


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”无效,请写作 YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Send the day's reminder digests by email and to the organisations' group robots."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        send = actions.add_parser("send", help="send the day's digests")
        send.add_argument("--date", dest="day", help="the day, YYYY-MM-DD (default: today)")
        send.add_argument("--dry-run", action="store_true", help="print, send nothing")
        send.add_argument("--queue", action="store_true", help="run it as a background task")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _day(options["day"]) if options.get("day") else None
        if options["queue"]:
            result = tasks.send_daily.enqueue(day.isoformat() if day else None)
            self.stdout.write(f"queued: {result.id}")
            return
        report = services.send_daily(day, dry_run=options["dry_run"])
        for line in report.planned:
            self.stdout.write(line)
        self.stdout.write(
            f"{report.day}: {report.items} item(s); "
            f"email sent {report.emails_sent}, already {report.emails_already}, "
            f"failed {report.emails_failed}; robots sent {report.robots_sent}, "
            f"already {report.robots_already}, failed {report.robots_failed}"
            + (" (dry run: nothing sent)" if options["dry_run"] else "")
        )
        if report.emails_failed or report.robots_failed:
            self.stderr.write("some deliveries failed; they are tried again on the next run")
